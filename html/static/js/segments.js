// Progressive enhancement of the segment builder: the form works without
// this file (its "Count members" button posts the form). With it, the
// member count follows the conditions as they change, from the builder's
// JSON count endpoint, which takes the same fields.
(function () {
  'use strict';
  var form = document.getElementById('segment-form');
  var out = document.getElementById('segment-count');
  var timer = null, seq = 0;
  if (!form || !out || !window.fetch || !window.FormData) return;
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
  form.addEventListener('change', function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(count, 300);
  });
})();
