// Progressive enhancement of the segment builder: the form works without
// this file (its "Count members" button posts the form, and the server
// names a wrong operator on its row). With it, each row offers only the
// operators and inputs its field takes, and the member count follows the
// conditions as they change, from the builder's JSON count endpoint,
// which takes the same fields.
(function () {
  'use strict';
  var form = document.getElementById('segment-form');
  var out = document.getElementById('segment-count');
  var timer = null, seq = 0;
  if (!form || !out) return;

  function input(row, key, what) { return row.querySelector('[name="' + key + '_' + what + '"]'); }
  function show(el, yes) {
    if (!el) return;
    el.disabled = !yes;
    el.style.visibility = yes ? '' : 'hidden';
  }
  // The row's operator menu and inputs, from its field's data-ops and data-extra.
  function fit(row) {
    var key = row.id.replace(/^row-/, '');
    var field = input(row, key, 'field'), op = input(row, key, 'op');
    var chosen = field && field.options[field.selectedIndex];
    if (!chosen || !op) return;
    var ops = (chosen.getAttribute('data-ops') || '').split(' ').filter(Boolean);
    var extra = chosen.getAttribute('data-extra') || '';
    Array.prototype.forEach.call(op.options, function (o) {
      o.hidden = o.disabled = ops.length > 0 && ops.indexOf(o.value) < 0;
    });
    if (op.selectedOptions.length && op.selectedOptions[0].disabled) {
      var first = Array.prototype.find.call(op.options, function (o) { return !o.disabled; });
      if (first) op.value = first.value;
    }
    var value = op.value !== 'is_empty' && op.value !== 'not_empty';
    show(input(row, key, 'value'), value);
    show(input(row, key, 'value2'), op.value === 'between');
    show(input(row, key, 'category'), extra.indexOf('category') >= 0);
    show(input(row, key, 'days'), extra.indexOf('days') >= 0);
  }
  function count() {
    var mine = ++seq;
    fetch(form.getAttribute('data-count-url'), {
      method: 'POST', body: new FormData(form), credentials: 'same-origin',
      headers: { Accept: 'application/json' }
    })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== seq) return;
        if (data.error) out.textContent = data.error.message;
        else if (!data.counted) out.textContent = '…';
        else out.textContent = data.count_text;
      })
      .catch(function () {});
  }
  Array.prototype.forEach.call(form.querySelectorAll('tr[id^="row-"]'), fit);
  form.addEventListener('change', function (e) {
    var row = e.target.closest && e.target.closest('tr[id^="row-"]');
    if (row) fit(row);
    if (!window.fetch || !window.FormData) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(count, 300);
  });
})();
