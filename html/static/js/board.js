// The board's drag and drop, on top of the plain form every card carries
// (which works without this file). A card dropped on another column is
// posted to the JSON form of the same route, with the page's form token
// in X-CSRF-Token; the answer's column totals replace the shown ones.
// Dropping on the lost column asks for the reason first.
(function () {
  'use strict';
  var board = document.getElementById('board');
  if (!board || !window.fetch) return;
  var dragged = null;

  function text(id, value) {
    var t = document.getElementById(id);
    if (t) t.textContent = value;
  }

  function totals(columns) {
    (columns || []).forEach(function (col) {
      text('col-' + col.id + '-count', String(col.count));
      text('col-' + col.id + '-amount', col.amount_text);
      text('col-' + col.id + '-weighted', col.weighted_text);
    });
  }

  function move(card, column) {
    var stage = column.getAttribute('data-stage');
    var reason = '';
    if (stage === card.getAttribute('data-stage')) return;
    if (column.getAttribute('data-kind') === 'lost') {
      reason = window.prompt(board.getAttribute('data-reason-prompt') || '');
      if (reason === null || reason.trim() === '') return;
    }
    var body = new URLSearchParams();
    body.set('stage_id', stage);
    body.set('lost_reason', reason.trim());
    ['owner', 'from', 'to'].forEach(function (k) { body.set(k, board.getAttribute('data-' + k) || ''); });
    card.classList.add('moving');
    fetch('/api/v1/sales/opportunities/' + card.getAttribute('data-id') + '/stage', {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: { 'X-CSRF-Token': board.getAttribute('data-csrf'), Accept: 'application/json' }
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      card.classList.remove('moving');
      if (!res.ok) {
        var msg = (res.data.error && res.data.error.message) ||
          Object.keys(res.data.errors || {}).map(function (k) { return res.data.errors[k]; }).join(' ');
        window.alert((board.getAttribute('data-failed') || '') + ' ' + msg);
        return;
      }
      column.querySelector('ol.deals').insertBefore(card, column.querySelector('ol.deals').firstChild);
      card.setAttribute('data-stage', stage);
      var select = card.querySelector('select[name="stage_id"]');
      if (select) select.value = stage;
      totals(res.data.columns);
    }).catch(function () { card.classList.remove('moving'); });
  }

  board.querySelectorAll('.deal').forEach(function (card) {
    card.setAttribute('draggable', 'true');
    card.addEventListener('dragstart', function (e) {
      dragged = card;
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', card.getAttribute('data-id'));
      card.classList.add('dragging');
    });
    card.addEventListener('dragend', function () {
      card.classList.remove('dragging');
      dragged = null;
    });
  });
  board.querySelectorAll('.board-col').forEach(function (column) {
    column.addEventListener('dragover', function (e) {
      if (!dragged) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      column.classList.add('drop-target');
    });
    column.addEventListener('dragleave', function () { column.classList.remove('drop-target'); });
    column.addEventListener('drop', function (e) {
      e.preventDefault();
      column.classList.remove('drop-target');
      if (dragged) move(dragged, column);
    });
  });
  board.classList.add('dnd');
})();
