// Progressive enhancement only: every page works without this file.
// Autocomplete: an <input data-lookup="/api/v1/..."> with a list="" datalist
// is filled with at most ten suggestions from the server as the user types;
// the value "Name #id" is what the forms accept.
(function () {
  'use strict';
  function attach(input) {
    var list = document.getElementById(input.getAttribute('list'));
    var timer = null, last = '';
    if (!list) return;
    input.addEventListener('input', function () {
      var q = input.value.trim();
      if (timer) clearTimeout(timer);
      if (q === '' || q === last || /#\d+$/.test(q)) return;
      timer = setTimeout(function () {
        last = q;
        fetch(input.getAttribute('data-lookup') + '?q=' + encodeURIComponent(q),
          { credentials: 'same-origin', headers: { Accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (data) {
            while (list.firstChild) list.removeChild(list.firstChild);
            (data.items || []).forEach(function (item) {
              var o = document.createElement('option');
              o.value = item.value;
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 150);
    });
  }
  document.querySelectorAll('input[data-lookup]').forEach(attach);
})();

// A page that follows a background job (an import's progress) reloads
// itself while the job runs: <p data-refresh="2"> means every 2 seconds.
(function () {
  'use strict';
  var el = document.querySelector('[data-refresh]');
  if (!el) return;
  var s = parseInt(el.getAttribute('data-refresh'), 10);
  if (s > 0) setTimeout(function () { window.location.reload(); }, s * 1000);
})();

// The bell's unread count (partials/usermenu.mustache): every 30 seconds
// while the page is visible, a conditional request with the version the
// page was drawn with; the server answers 304 until it changes, from the
// session lookup alone, so polling costs no query of its own.
(function () {
  'use strict';
  var bell = document.getElementById('bell');
  var count = document.getElementById('bell-count');
  if (!bell || !count || !window.fetch) return;
  var etag = '"n' + bell.getAttribute('data-version') + '"';
  var url = bell.getAttribute('data-unread');
  var every = parseInt(bell.getAttribute('data-every') || '30', 10) * 1000;
  var timer = null;
  function show(n) {
    count.textContent = String(n);
    count.setAttribute('data-n', String(n));
  }
  function poll() {
    timer = null;
    if (document.visibilityState !== 'visible') return;
    fetch(url, { credentials: 'same-origin', cache: 'no-store',
      headers: { Accept: 'application/json', 'If-None-Match': etag } })
      .then(function (r) {
        if (r.status !== 200) return null;
        etag = r.headers.get('ETag') || etag;
        return r.json();
      })
      .then(function (data) { if (data && typeof data.unread === 'number') show(data.unread); })
      .catch(function () {})
      .then(schedule);
  }
  function schedule() {
    if (timer === null && document.visibilityState === 'visible') timer = setTimeout(poll, every);
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      poll();
    }
  });
  schedule();
})();
