// The XSS crawl (tests/security/xss.sh runs it with a signed-in admin's
// cookie jar). It walks every page reachable from the modules' home pages
// in Chromium, fills every text field of every form it meets with a payload
// from xss-payloads.txt (each with its own number), submits it, then
// revisits every page, the records it made and their JSON twins. A payload
// that runs calls window.__xss(N) or alert(N): either fails, naming the
// field. Each page's HTML is also read as text and as a DOM: a payload's
// "<" or quote arriving unescaped, an injected on* attribute, a
// javascript: URL or a script holding a marker fails even if nothing ran.
// CSV answers met on the way must neutralise cells starting = + - @.
//
// Arguments: cookie jar (curl's), run tag. Environment: CRM_E2E_PORT,
// XSS_FULL=1 (every payload through every field, not one per field),
// XSS_REPORT (a file for the field/payload log), CHROMIUM.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [jar, run] = process.argv.slice(2);
const base = `http://127.0.0.1:${process.env.CRM_E2E_PORT || 18080}`;
const full = process.env.XSS_FULL === '1';
const here = dirname(fileURLToPath(import.meta.url));
// playwright-core is installed once, for all browser tests, in tests/e2e.
const { chromium } = await import(pathToFileURL(join(here, '../e2e/node_modules/playwright-core/index.mjs')).href);
const started = Date.now();
let roundsDone = 0;
const budgetMs = Number(process.env.XSS_BUDGET_MS || (full ? 6 * 3600e3 : 420e3));
// XSS_SHARD=k/n: the k-th of n shares of the full run's payload rounds
// (rounds k, k + n, ...); n runs, each on a stack of its own, send the
// whole corpus through every field between them. Each share still crawls
// and, at its end, visits every page again.
const [shardK, shardN] = (process.env.XSS_SHARD || '1/1').split('/').map(Number);
if (!(shardN >= 1 && shardK >= 1 && shardK <= shardN)) throw new Error(`XSS_SHARD=${process.env.XSS_SHARD}: want k/n`);
const say = (s) => console.log(s);
const ok = (name) => say(`ok - xss: ${name}`);
const fail = (name, why) => say(`FAIL - xss: ${name}: ${why}`);

// The corpus, with its escapes decoded.
function decode(line) {
  return line.replace(/\\(r|n|t|\\|x[0-9A-Fa-f]{2}|u\{[0-9A-Fa-f]+\})/g, (m, e) => {
    if (e === 'r') return '\r';
    if (e === 'n') return '\n';
    if (e === 't') return '\t';
    if (e === '\\') return '\\';
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
  }).replace(/%LONG%/g, 'A'.repeat(6000));
}
const corpus = readFileSync(join(here, 'xss-payloads.txt'), 'utf8').split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#')).map(decode);

// Every use of a payload gets a number; the log says where it went.
// Numbered from the run's tag up, so that records left by an earlier run
// on the same database are not taken for this run's.
let nextId = (Number(run) || 1) * 100000 + 1000;
const uses = new Map();          // id -> { where, payload }
let corpusAt = 0;
function payload(where, index) {
  const id = nextId++;
  const k = index === undefined ? corpusAt++ % corpus.length : index % corpus.length;
  const p = corpus[k].replace(/%ID%/g, String(id));
  uses.set(id, { where, payload: p, k });
  return { id, text: p };
}
const describe = (id) => {
  const u = uses.get(Number(id));
  return u ? `#${id} in ${u.where} (payload ${u.k + 1}: ${JSON.stringify(u.payload.slice(0, 70))})` : `#${id}`;
};

// The pieces of each payload that can only appear in HTML if a "<" or a
// quote went out unescaped: from each such character to the end of the
// payload's marker.
function rawPieces(id, p) {
  const m = p.indexOf(`(${id})`);
  if (m < 0) return [];
  const end = m + String(id).length + 2;
  const out = [];
  for (let i = 0; i < m; i++)
    if (p[i] === '<' || p[i] === '"' || p[i] === "'") out.push(p.slice(i, end));
  return out;
}

// Findings, each once.
const findings = new Map();
// Each new finding is said at once as well, so that a run stopped before
// its end still shows what it found (the self-test's planted ones aside).
function finding(kind, where, what) {
  const key = `${kind}|${what}`;
  if (findings.has(key)) return;
  findings.set(key, `${kind} on ${where}: ${what}`);
  if (!String(where).includes('/__xss_selftest')) say(`# finding: ${kind} on ${where}: ${what}`);
}

const cookies = readFileSync(jar, 'utf8').split('\n')
  .filter((l) => l.trim() && (!l.startsWith('#') || l.startsWith('#HttpOnly_')))
  .map((l) => l.split('\t'))
  .filter((f) => f.length >= 7)
  .map((f) => ({ name: f[5], value: f[6].trim(), domain: '127.0.0.1', path: f[2], httpOnly: f[0].startsWith('#HttpOnly_') }));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// The Content-Security-Policy would stop an injected inline script, and
// with it this test's view of the escaping: it is bypassed here so that
// escaping alone has to hold (the policy is the second line, not the first).
const context = await browser.newContext({ bypassCSP: true, acceptDownloads: false });
await context.addCookies(cookies);
let current = '';
await context.exposeBinding('__xssHit', (_src, id) => finding('a payload ran', current, describe(id)));
await context.addInitScript(() => {
  window.__xss = (id) => { window.__xssRan = true; window.__xssHit(String(id)); };
});
const page = await context.newPage();
page.setDefaultTimeout(15000);
page.on('dialog', async (d) => {
  finding('a dialog opened', current, `${d.type()} ${describe(d.message())}`);
  await d.dismiss().catch(() => {});
});
page.on('console', (m) => {
  if (m.type() === 'error' && /__xss|xss=/i.test(m.text())) finding('a console error names a payload', current, m.text().slice(0, 200));
});
page.on('pageerror', (e) => {
  if (/__xss/.test(e.message)) finding('a script error names a payload', current, e.message.slice(0, 200));
});
context.on('response', async (r) => {
  const h = r.headers();
  if (h['x-xss-injected'] !== undefined) finding('a header was split', r.url(), `X-Xss-Injected: ${h['x-xss-injected']}`);
  if (/(^|\n)\s*xss=/i.test(h['set-cookie'] || '')) finding('a header was split', r.url(), `Set-Cookie: ${h['set-cookie']}`);
});

// Pages not to visit and forms not to send: they end the session, change
// the signed-in admin's rights or password, delete, reach out of the
// machine (pings, test mails, IMAP tests) or start a mass send; nor the
// renaming of existing pipelines and stages, which the other tests' board
// leans on (new pipelines and stages carry payloads instead).
const skipLink = /^\/(static|dav|api)\/|\/logout|\/pdf$|\/qr\.svg$|\/files\/|\/attachments\/|\/feed\/|\/r\/(o\/)?[^/]+$|\.ics$|\/login/;
// XSS_KEEP: the actions of forms left alone, so that a record keeps what
// a check needs (xss.sh's contact whose title the CSV guard must catch).
const keepForm = process.env.XSS_KEEP ? new RegExp(process.env.XSS_KEEP) : null;
const skipForm = /^\/(logout|language|login)|\/delete$|\/erase$|\/restore$|\/merge$|\/password$|\/2fa|\/sessions\/end$|\/unlock$|\/revoke$|\/disable$|\/cancel$|\/pause$|^\/marketing\/.*\/send$|\/test$|\/poll$|\/ping$|\/rotate$|\/redeliver$|^\/u\/|^\/admin\/roles$|\/move$|\/read$|\/open$|\/owner$|\/reassign$|^\/admin\/roles\/fields|^\/sales\/pipelines\/\d+$|^\/sales\/pipeline-stages\/\d+$/;

const publicForm = /^\/(sales\/forms|service\/new|service\/t\/|service\/s\/|sales\/q\/)/;

// A page's kind: ids and tokens folded, query keys without values.
function kindOf(u) {
  const url = new URL(u, base);
  const path = url.pathname.split('/').map((s) => (/^\d+$/.test(s) ? ':id' : /^[A-Za-z0-9_-]{16,}$/.test(s) ? ':tok' : s)).join('/');
  const keys = [...url.searchParams.keys()].filter((k) => k !== 'cursor' && k !== 'after').sort().join('&');
  return keys ? `${path}?${keys}` : path;
}

// Pages of one kind visited: one in make check's run, two in the full one.
const perKindMax = Number(process.env.XSS_PER_KIND || (full ? 2 : 1));
let shown = null, shownAt = 0;                // the page shown, as loaded
const visited = new Set();
const allVisited = new Set();
const perKind = new Map();
const made = new Set();          // pages of records this run made
const madeContacts = [];         // their e-mail addresses, for previews
const formsDone = new Set();
const formPages = [];            // [page, form] as first met, for the full run's rounds
const csvSeen = new Set();
let templates = new Set();
let csvGuarded = 0;              // cells written as '=..., seen in exports
let previews = 0, pagesChecked = 0, markersSeen = 0, formsSent = 0, formsAccepted = 0, formsRefused = 0, apiSent = 0;
const accepted = [];
const refused = [];

// What the DOM holds that a payload could have put there.
function domCheck() {
  const bad = [];
  const url = /^\s*(javascript|vbscript|data:(?!image\/(png|gif|jpe?g|webp|svg\+xml)[;,]))/i;
  const urlAttr = /^(href|src|action|formaction|xlink:href|data|poster|background|codebase|cite)$/;
  function walk(doc, where) {
    for (const el of doc.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      for (const a of el.attributes) {
        const n = a.name.toLowerCase(), v = a.value;
        if (n.startsWith('on')) bad.push(`${where}<${tag} ${n}="${v.slice(0, 60)}">`);
        else if (urlAttr.test(n) && url.test(v.replace(/[\u0000-\u001f]/g, ''))) bad.push(`${where}<${tag} ${n}="${v.slice(0, 60)}">`);
        else if (/xss|[<>"'`]/.test(n)) bad.push(`${where}<${tag}> has an attribute named ${n}`);
        else if (n === 'style' && /xss/.test(v)) bad.push(`${where}<${tag} style="${v.slice(0, 60)}">`);
      }
      if ((tag === 'script' || tag === 'style') && /__xss|alert\(/.test(el.textContent)) bad.push(`${where}<${tag}>${el.textContent.slice(0, 60)}`);
      if (['base', 'meta', 'object', 'embed', 'math'].includes(tag) && /xss/.test(el.outerHTML)) bad.push(`${where}${el.outerHTML.slice(0, 80)}`);
      // A sandbox without allow-scripts runs nothing: what it holds (an
      // e-mail's own HTML) is checked as text, for merged data only.
      if (tag === 'iframe' && el.hasAttribute('srcdoc')) {
        const sb = el.getAttribute('sandbox');
        if (sb !== null && !/allow-scripts/.test(sb)) sandboxed.push(el.getAttribute('srcdoc'));
        else walk(new DOMParser().parseFromString(el.getAttribute('srcdoc'), 'text/html'), `${where}iframe srcdoc: `);
      }
    }
  }
  const sandboxed = [];
  walk(document, '');
  return { bad, sandboxed };
}

// Markers in text that is HTML, whose payload's "<" or quote came through
// raw; skip(use) leaves out fields whose HTML is meant to be HTML.
function rawCheck(where, text, skip) {
  let seen = 0;
  for (const m of text.matchAll(/__xss\((\d+)\)|alert\((\d+)\)/g)) {
    const id = Number(m[1] || m[2]);
    const u = uses.get(id);
    if (!u || skip(u)) continue;
    seen++;
    for (const piece of rawPieces(id, u.payload))
      if (text.includes(piece)) { finding('a payload arrived unescaped', where, `${describe(id)}: ${JSON.stringify(piece.slice(0, 60))}`); break; }
  }
  return seen;
}

// Checks the page now shown, whose HTML (as sent) is text.
async function checkPage(where, text, type) {
  pagesChecked++;
  if (/text\/html/.test(type || '')) {
    markersSeen += rawCheck(where, text, () => false);
    let r = { bad: [], sandboxed: [] };
    try { r = await page.evaluate(domCheck); } catch (e) { /* navigated away */ }
    for (const b of r.bad) finding('an injected element or attribute', where, b);
    // An e-mail template's HTML part is HTML by design; what is merged
    // into it (a contact's name) must still arrive escaped.
    for (const doc of r.sandboxed) rawCheck(`${where} (sandboxed preview)`, doc, (u) => /field body_html/.test(u.where));
  }
}

// CSV: no cell may start with = + - @ TAB or CR unless it is a number.
function checkCsv(where, text) {
  const cells = [];
  let cell = '', q = false, started = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') q = false; else cell += ch;
    } else if (ch === '"' && started) { q = true; started = false; } else if (ch === ',' || ch === '\n') {
      cells.push(cell.replace(/\r$/, '')); cell = ''; started = true;
    } else { cell += ch; started = false; }
  }
  cells.push(cell);
  for (const c of cells) {
    const v = c.replace(/^\uFEFF/, '');
    if (/^'[=+\-@\t\r]/.test(v)) csvGuarded++;
    if (/^[=+\-@\t\r]/.test(v) && !/^[+-]?[0-9][0-9., ]*$/.test(v))
      finding('a CSV cell could run as a formula', where, JSON.stringify(v.slice(0, 60)));
  }
  return cells.length;
}

// Visits a page; returns its links and forms, or null.
async function visit(u, why) {
  if (Date.now() - started > budgetMs) return null;
  current = u;
  let r;
  try {
    // Downloads are read as text, not through the browser.
    const head = await context.request.get(base + u, { maxRedirects: 0, failOnStatusCode: false });
    const type = head.headers()['content-type'] || '';
    if (/text\/csv/.test(type)) {
      if (!csvSeen.has(kindOf(u))) { csvSeen.add(kindOf(u)); checkCsv(u, await head.text()); }
      return null;
    }
    if (!/text\/html|application\/json/.test(type) && head.status() < 300) return null;
    r = await page.goto(base + u, { waitUntil: 'load' });
  } catch (e) {
    return null;
  }
  if (!r) return null;
  const type = r.headers()['content-type'] || '';
  let text = '';
  try { text = await r.text(); } catch (e) { /* no body */ }
  await checkPage(`${u} (${why})`, text, type);
  if (!/text\/html/.test(type)) return null;
  shown = u;
  shownAt = Date.now();
  return scan();
}

// The page's same-site links and forms.
async function scan() {
  return page.evaluate(() => {
    // Absolute links to this site too (the public pages' links are).
    const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))
      .map((h) => (h.startsWith(location.origin + '/') ? h.slice(location.origin.length) : h))
      .filter((h) => h.startsWith('/') && !h.startsWith('//'));
    const forms = [...document.forms].map((f, i) => ({
      i, method: (f.getAttribute('method') || 'get').toLowerCase(),
      action: new URL(f.getAttribute('action') || location.pathname + location.search, location.href).pathname,
      texts: [...f.elements].filter((e) => (e.tagName === 'TEXTAREA' || (e.tagName === 'INPUT' &&
        ['text', 'search', 'url', 'tel', ''].includes((e.getAttribute('type') || '').toLowerCase()))) && e.name && !e.readOnly && !e.disabled)
        .map((e) => e.name),
    }));
    return { links, forms, url: location.pathname + location.search };
  });
}

// A value for a field that would not take a payload.
function fallback(name, type, id, form) {
  const n = name.toLowerCase();
  // Look-ups by name: the records xss.sh made.
  if (n === 'order_id' && /invoices/.test(form)) return process.env.XSS_ORDER || '';
  if (/assignee|owner|^user|^order|^contact$/.test(n) && !/mailbox/.test(form)) return '';
  if (n === 'account' || n === 'account_name') return process.env.XSS_ACCOUNT || 'x';
  if (n === 'contact') return process.env.XSS_CONTACT || 'x';
  if (/product/.test(n)) return process.env.XSS_PRODUCT || 'x';
  if (n === 'time_zone') return 'UTC';
  if (/^hours_/.test(n)) return '09:00-17:00';
  if (n === 'what') return process.env.XSS_BOUNCE || `xss${id}-${run}@example.com`;
  if (n === 'utm_suffix') return 'utm_source=xss';
  if (n === 'url' && /mailbox/.test(form)) return 'imaps://mail.example.com/INBOX';
  if (n === 'url' && /webhook/.test(form)) return 'https://hooks.example.com/xss';
  // Where a lead form sends its visitors: a page of this site, so that the
  // crawl's send through it lands somewhere.
  if (n === 'redirect_url') return `${base}/service/help`;
  if (/^q_\d+_\d+$/.test(n)) return '100';
  if (type === 'email' || /e-?mail|^to$|reply_to|from$/.test(n)) return `xss${id}-${run}@example.com`;
  if (/phone|mobile|fax/.test(n)) return '+1 415 555 0100';
  if (/country/.test(n)) return 'US';
  if (/currency/.test(n)) return 'USD';
  if (/host/.test(n)) return '127.0.0.1';
  if (type === 'url' || /url|website|link|href|endpoint/.test(n)) return 'http://127.0.0.1:9/xss';
  // A holiday's day is unique in its calendar: a day of its own each run.
  if (n === 'day') return new Date(Date.UTC(2030, 0, 1) + (id % 3650) * 864e5).toISOString().slice(0, 10);
  if (/date|_on$|due|birthday|from|until|start|end|day$/.test(n)) return new Date().toISOString().slice(0, 10);
  if (/time|_at$/.test(n)) return '10:00';
  if (/colou?r/.test(n)) return '#336699';
  if (/postcode|zip/.test(n)) return '10115';
  if (/price|amount|qty|quantity|total|revenue|rate|percent|probability|discount|tax|score|days|hours|minutes|weight|limit|count|budget|cost|target|quota|size|position|port|years|months|threshold|value|number|min|max/.test(n)) return '1';
  if (/sku|code|slug|key|token/.test(n)) return `X${id}`;
  return `safe ${id}`;
}

// The index of the form with this method, action and text fields on the
// page shown (lists above it may have grown since it was first seen).
function findForm(f0) {
  const texts = (f) => [...f.elements].filter((e) => (e.tagName === 'TEXTAREA' || (e.tagName === 'INPUT' &&
    ['text', 'search', 'url', 'tel', ''].includes((e.getAttribute('type') || '').toLowerCase()))) && e.name && !e.readOnly && !e.disabled)
    .map((e) => e.name).join(',');
  const forms = [...document.forms];
  for (let i = 0; i < forms.length; i++) {
    const f = forms[i];
    const action = new URL(f.getAttribute('action') || location.pathname + location.search, location.href).pathname;
    if ((f.getAttribute('method') || 'get').toLowerCase() === f0.method && action === f0.action && texts(f) === f0.texts.join(',')) return i;
  }
  return -1;
}

// Fills form i of the page shown: payloads in the text fields not in
// keep (which get fallbacks), sensible values in the rest; then submits.
async function fillAndSubmit(f0, where, keep, round) {
  shown = null;
  const i = await page.evaluate(findForm, f0);
  if (i < 0) return { status: 0, ids: [], values: {}, wrong: [] };
  const names = await page.evaluate((i) => {
    const f = document.forms[i];
    return [...f.elements].filter((e) => e.name).map((e) => ({
      name: e.name, tag: e.tagName, type: (e.getAttribute('type') || '').toLowerCase(), value: e.value,
      // A honeypot people never see stays empty, as a person leaves it.
      readonly: e.readOnly || e.disabled || !!e.closest('[aria-hidden="true"]'), required: e.required,
    }));
  }, i);
  const values = {};
  const ids = [];
  let k = 0;
  for (const e of names) {
    if (e.readonly || e.type === 'hidden' || e.type === 'submit' || e.type === 'button' || e.type === 'file' ||
        e.type === 'checkbox' || e.type === 'radio' || e.tag === 'SELECT' || e.tag === 'BUTTON') continue;
    const textual = e.tag === 'TEXTAREA' || ['text', 'search', 'url', 'tel', ''].includes(e.type);
    if (textual && !keep.has(e.name)) {
      const p = payload(`${where} field ${e.name}`, full ? round + k : undefined);
      k++;
      values[e.name] = p.text;
      ids.push(p.id);
    } else if (keep.get(e.name) === 'orig' || keep.get(e.name) === 1) {
      // Refused with a payload: back to what the form offered, even if
      // that is nothing ("leave it empty"); if that is refused too, a
      // made-up value.
    } else if (e.type === 'number' && e.value === '' && !e.required && !keep.has(e.name)) {
      // An optional number stays empty until the form asks for one.
    } else if (e.value === '' || keep.has(e.name)) {
      values[e.name] = e.type === 'password' ? `long password ${run} xss` : e.type === 'number' || e.type === 'range' ? '1'
        : e.type === 'date' ? (e.name === 'day' ? fallback(e.name, e.type, nextId++, f0.action) : new Date().toISOString().slice(0, 10))
        : e.type === 'datetime-local' ? `${new Date().toISOString().slice(0, 10)}T10:00`
        : e.type === 'time' ? '10:00' : e.type === 'month' ? new Date().toISOString().slice(0, 7)
        : e.type === 'color' ? '#336699' : fallback(e.name, e.type, nextId++, f0.action);
    }
  }
  // An import's file: a CSV whose cells are payloads, with one row for a
  // contact that exists (a list import matches rows to contacts and shows
  // the rest back).
  for (const e of names) {
    if (e.type !== 'file' || !/import/.test(f0.action)) continue;
    const q = (t) => `"${t.replace(/"/g, '""')}"`;
    const first = payload(`${where} CSV first_name`), last = payload(`${where} CSV last_name`);
    const company = payload(`${where} CSV company`), email = payload(`${where} CSV email`);
    ids.push(first.id, last.id, company.id, email.id);
    const csv = `email,first_name,last_name,company\r\n${process.env.XSS_CONTACT_EMAIL || `xss-csv-${run}@example.com`},` +
      `${q(first.text)},${q(last.text)},${q(company.text)}\r\n${q(email.text)},x,y,z\r\n`;
    await page.locator('form').nth(i).locator(`input[type=file][name="${e.name}"]`)
      .setInputFiles({ name: 'xss.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }).catch(() => {});
  }
  // Public forms refuse a send within 3 s of showing the form (a stamp
  // signed with the time): a person takes that long, so the test does.
  if (names.some((e) => /stamp/.test(e.name))) await page.waitForTimeout(Math.max(0, shownAt + 3500 - Date.now()));
  const nav = page.waitForNavigation({ waitUntil: 'load', timeout: 15000 }).catch(() => null);
  await page.evaluate(({ i, values, tick }) => {
    const f = document.forms[i];
    // A group of boxes named as wrong (none ticked): its first box.
    for (const n of tick) {
      const boxes = [...f.elements].filter((e) => e.name === n && (e.type === 'checkbox' || e.type === 'radio'));
      if (boxes.length > 0 && !boxes.some((b) => b.checked)) boxes[0].checked = true;
    }
    // A wrong name no element has ("actions") stands for its first row's
    // menus ("a0_..."), which then take their first real choice.
    const rows = tick.filter((n) => !f.elements.namedItem(n)).map((n) => `${n[0]}0_`);
    // ("conditions" stands for a segment's "g0_c0_..." too.)
    tick = tick.concat([...f.elements].filter((e) => e.tagName === 'SELECT' &&
      rows.some((r) => e.name.startsWith(r) || e.name.includes(`_${r}`))).map((e) => e.name));
    for (const e of f.elements) {
      if (!e.name) continue;
      if (Object.prototype.hasOwnProperty.call(values, e.name)) e.value = values[e.name];
      // A menu with nothing chosen takes its first real choice if it is
      // required or was named as wrong ("None" may be a fine answer).
      if (e.tagName === 'SELECT' && !e.multiple && e.value === '' && (e.required || tick.includes(e.name))) {
        // A rule's action: a task, whose subject is free text (setting a
        // field takes only that field's values).
        const prefer = { a0_type: 'task' };
        const o = [...e.options].find((o) => o.value === prefer[e.name]) || [...e.options].find((o) => o.value !== '' && !o.disabled);
        if (o) e.value = o.value;
      }
    }
    // The main button's name and value, as a click would send them.
    const buttons = [...f.querySelectorAll('button:not([type=button]), input[type=submit]')];
    const b = buttons.find((x) => !x.name) || buttons.find((x) => /save|submit|create|add|send|post/i.test(x.name)) || buttons[buttons.length - 1];
    if (b && b.name) {
      const h = document.createElement('input');
      h.type = 'hidden'; h.name = b.name; h.value = b.value;
      f.appendChild(h);
    }
    f.noValidate = true;
    HTMLFormElement.prototype.submit.call(f);
  }, { i, values, tick: [...keep.keys()] });
  const r = await nav;
  if (!r) return { status: 0, ids, values };
  let text = '';
  try { text = await r.text(); } catch (e) { /* none */ }
  const type = r.headers()['content-type'] || '';
  const url = new URL(page.url());
  current = url.pathname + url.search;
  await checkPage(`${current} (after ${where})`, text, type);
  // The fields named as wrong, to try again without a payload: the API
  // twin of the refused write names them (errors: {field: message}).
  let wrong = [];
  // Public forms name their wrong fields in the page (id="error-NAME"),
  // and each send counts against the address's limit: no API call.
  if (r.status() >= 400 && publicForm.test(f0.action))
    wrong = await page.$$eval('.field-error[id^="error-"]', (els) => els.map((e) => e.id.slice(6))).catch(() => []);
  else if (r.status() >= 400 && f0.method === 'post') wrong = await apiErrors(f0, values);
  return { status: r.status(), ids, values, wrong, url: current };
}

// The form's values as a browser would send them, with ours over them.
async function formFields(f0, values) {
  const fi = await page.evaluate(findForm, f0).catch(() => -1);
  const out = fi < 0 ? {} : await page.evaluate((i) => {
    const o = {};
    for (const e of document.forms[i].elements)
      if (e.name && e.type !== 'file' && e.type !== 'submit' && !((e.type === 'checkbox' || e.type === 'radio') && !e.checked)) o[e.name] = e.value;
    return o;
  }, fi);
  return Object.assign(out, values);
}

async function apiErrors(f0, values) {
  try {
    const fields = await formFields(f0, values);
    const r = await context.request.post(`${base}/api/v1${f0.action}`, {
      form: fields, headers: { 'X-CSRF-Token': fields.csrf_token || '', Accept: 'application/json' },
      maxRedirects: 0, failOnStatusCode: false,
    });
    const j = await r.json().catch(() => ({}));
    return Object.keys(j.errors || {});
  } catch (e) {
    return [];
  }
}

// Sends form f of page u, retrying with fallbacks where the form names a
// field as wrong; then the same values through the JSON API.
async function sendForm(u, f, round) {
  const where = `${f.method.toUpperCase()} ${f.action} (form on ${kindOf(u)})`;
  const keep = new Map();        // field -> 1: as offered, 2: made up
  let res;
  for (let attempt = 0; attempt < 6; attempt++) {
    if (attempt > 0 || shown !== u) {
      const again = await visit(u, 'the form again');
      if (!again) return;
    }
    formsSent++;
    res = await fillAndSubmit(f, where, keep, round);
    if (process.env.XSS_DEBUG) {
      say(`# ${where} attempt ${attempt}: ${res.status} wrong [${res.wrong}] keep [${[...keep]}] ${JSON.stringify(res.values).slice(0, 300)}`);
      if (res.status >= 400) say(`#   says: ${(await page.$$eval('.field-error, .error, [role=alert], .flash', (els) => els.map((e) => e.textContent.trim()).join(' | ')).catch(() => '')).slice(0, 300)}`);
    }
    if (res.status >= 200 && res.status < 400 && res.wrong.length === 0) break;
    let more = 0;
    // A public form counts sends per address: its wrong fields go
    // straight to made-up values.
    for (const w of res.wrong || []) {
      const level = keep.get(w) === 'orig' ? 1 : keep.get(w) || 0;
      if (level < 2) { keep.set(w, publicForm.test(f.action) ? 2 : level + 1); more++; }
    }
    // Refused with no field named: a payload in the first field only,
    // then in none, then made-up values everywhere.
    if (more === 0) {
      if (res.status < 400 || f.texts.length === 0 || f.texts.every((t) => keep.get(t) === 2)) break;
      if (f.texts.slice(1).some((t) => !keep.has(t))) f.texts.slice(1).forEach((t) => keep.set(t, 1));
      else if (f.texts.some((t) => !keep.has(t))) f.texts.forEach((t) => keep.set(t, 1));
      else f.texts.forEach((t) => keep.set(t, 2));
    }
  }
  if (res.status >= 200 && res.status < 400 && (!res.wrong || res.wrong.length === 0)) {
    formsAccepted++;
    accepted.push(`${where} [${[...new Set(Object.keys(res.values))].filter((n) => !keep.has(n)).join(' ')}]`);
    if (res.url && /\/\d+(\/|$|\?)|\/t\/|\/q\/|\/i\//.test(res.url)) made.add(res.url);
    if (f.action === '/customers/contacts' && res.values.email) madeContacts.push(res.values.email);
  } else {
    formsRefused++;
    refused.push(`${where}: ${res.status}${res.wrong && res.wrong.length ? ` (wrong: ${res.wrong.join(' ')})` : ''}`);
  }
  // The API twin of a write takes the same fields, with the session's
  // token in a header; its answer is JSON.
  if (f.method === 'post' && !publicForm.test(f.action)) {
    const again = await visit(u, 'the form for the API');
    if (!again) return;
    const fi = await page.evaluate(findForm, f);
    if (fi < 0) return;
    shown = null;
    const fields = await page.evaluate((i) => {
      const out = {};
      for (const e of document.forms[i].elements)
        if (e.name && e.type !== 'file' && !((e.type === 'checkbox' || e.type === 'radio') && !e.checked)) out[e.name] = e.value;
      return out;
    }, fi);
    for (const [n, v] of Object.entries(res.values)) fields[n] = v;
    f.texts.filter((n) => !keep.has(n)).forEach((n, j) => {
      fields[n] = payload(`POST /api/v1${f.action} field ${n}`, full ? round + j + 1 : undefined).text;
    });
    try {
      const r = await context.request.post(`${base}/api/v1${f.action}`, {
        form: fields, headers: { 'X-CSRF-Token': fields.csrf_token || '', Accept: 'application/json' },
        maxRedirects: 0, failOnStatusCode: false,
      });
      apiSent++;
      // What the API made is revisited with the rest.
      const loc = r.headers().location;
      if (loc && loc.startsWith('/') && /\/\d+(\/|$|\?)/.test(loc)) made.add(loc);
      const t = r.headers()['content-type'] || '';
      if (r.status() !== 303 && r.status() !== 204 && r.status() !== 302 && !/application\/json/.test(t) && r.status() !== 404 && r.status() !== 405)
        finding('an API write answered as something other than JSON', `/api/v1${f.action}`, `${r.status()} ${t}`);
      if (/application\/json/.test(t) && r.headers()['x-content-type-options'] !== 'nosniff')
        finding('an API answer may be sniffed as HTML', `/api/v1${f.action}`, 'no X-Content-Type-Options: nosniff');
    } catch (e) { /* the API twin may not exist */ }
  }
}

// The crawl: each kind of page at most perKindMax times, every form kind once
// (every payload through every field in XSS_FULL rounds).
async function crawl(starts, sendForms, round, madeFirst = []) {
  const queue = [...madeFirst.map((u) => [u, 'made']), ...starts.map((u) => [u, 'start'])];
  while (queue.length > 0 && Date.now() - started < budgetMs) {
    const [u, why] = queue.shift();
    if (visited.has(u)) continue;
    const kind = kindOf(u);
    const n = perKind.get(kind) || 0;
    if (n >= perKindMax && why !== 'made') continue;
    perKind.set(kind, n + 1);
    visited.add(u);
    allVisited.add(u);
    const s = await visit(u, why);
    if (!s) continue;
    for (const h of process.env.XSS_NOFOLLOW ? [] : s.links) {
      const p = new URL(h, base);
      const l = p.pathname + p.search;
      if (!skipLink.test(p.pathname) && !visited.has(l)) queue.push([l, `linked from ${kind}`]);
    }
    if (!sendForms) continue;
    for (const f of s.forms) {
      const fk = `${f.method} ${kindOf(f.action)} ${f.texts.join(',')}`;
      if (formsDone.has(fk) || skipForm.test(f.action) || keepForm?.test(f.action) || f.texts.length === 0) continue;
      formsDone.add(fk);
      formPages.push([s.url, f]);
      try { await sendForm(s.url, f, round); } catch (e) { refused.push(`${f.method} ${f.action}: ${String(e.message).split('\n')[0]}`); }
      // What the form made (or showed again) is crawled next.
      const here = new URL(page.url());
      const l = here.pathname + here.search;
      if (!visited.has(l) && !skipLink.test(here.pathname)) queue.unshift([l, 'made']);
    }
  }
}

const starts = ['/', '/customers', '/customers/contacts', '/customers/accounts', '/sales', '/sales/leads',
  '/sales/opportunities', '/sales/quotes', '/sales/products', '/service', '/service/tickets', '/service/kb',
  '/service/new', '/service/help', '/marketing', '/marketing/campaigns', '/marketing/segments', '/reports',
  '/reports/saved', '/automation', '/automation/rules', '/automation/rules/new?entity=tickets', '/automation/webhooks', '/automation/mailboxes',
  '/admin', '/admin/users', '/admin/settings', '/admin/fields', '/admin/teams', '/account', '/notifications'];

// The detectors themselves, on a page that lets a payload through (served
// by the test, not the CRM): each must see it, or a clean run means nothing.
async function selfTest() {
  const p = payload('the self-test page', 0);
  const q = payload('the self-test page', corpus.findIndex((x) => x.startsWith('<img src=x onerror')));
  await context.route(`${base}/__xss_selftest`, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8',
    body: `<!DOCTYPE html><title>t</title><p>${p.text}</p><p>${q.text}</p>` }));
  current = '/__xss_selftest';
  await page.goto(`${base}/__xss_selftest`);
  await page.waitForTimeout(200);       // the image's error event
  await checkPage('/__xss_selftest', await page.content(), 'text/html');
  const seen = [...findings.keys()].filter((k) => findings.get(k).includes('/__xss_selftest'));
  const kinds = new Set(seen.map((k) => k.split('|')[0]));
  for (const k of seen) findings.delete(k);
  await context.unroute(`${base}/__xss_selftest`);
  const want = ['a payload ran', 'a payload arrived unescaped', 'an injected element or attribute'];
  const missed = want.filter((k) => !kinds.has(k));
  if (missed.length === 0) ok('the detectors catch a planted payload (run, raw, injected)');
  else fail('the detectors catch a planted payload', `missed: ${missed.join(', ')}`);
}

if (process.env.XSS_STARTS) starts.splice(0, starts.length, ...process.env.XSS_STARTS.split(/\s+/).filter(Boolean));
try {
  await selfTest();
  await crawl(starts, true, 0, (process.env.XSS_EXTRA || '').split(/\s+/).filter(Boolean));
  // The full run: every form met again once per payload, field j of
  // round r taking payload r + j, so each field sees the whole corpus.
  for (let round = 1; full && round < corpus.length; round++) {
    if ((round - 1) % shardN !== shardK - 1) continue;
    for (const [u, f] of formPages) {
      if (Date.now() - started > budgetMs) break;
      try { await sendForm(u, f, round); } catch (e) { refused.push(`${f.method} ${f.action}: ${String(e.message).split('\n')[0]}`); }
      const here = new URL(page.url());
      await visit(here.pathname + here.search, 'after the form');
    }
    roundsDone++;
    say(`# xss: payload round ${round} of ${corpus.length - 1} done (shard ${shardK}/${shardN}): ${formPages.length} forms, ${findings.size} findings so far, ${Math.round((Date.now() - started) / 1000)} s`);
  }
  // Every page again, now that every form has left its payloads; the
  // records made, and their JSON twins as the browser shows them.
  visited.clear();
  perKind.clear();
  for (const u of (process.env.XSS_EXTRA || '').split(/\s+/).filter(Boolean)) made.add(u);
  // Pages of the records made here that only an e-mail links to (a
  // survey, an unsubscribe page): the caller makes their links now.
  if (process.env.XSS_BEFORE_REVISIT) {
    let late = [];
    try { late = execSync(process.env.XSS_BEFORE_REVISIT).toString().split(/\s+/).filter((u) => u.startsWith('/')); } catch (e) {
      fail('the links only e-mails carry', String(e.message).split('\n')[0]);
    }
    for (const u of late) made.add(u);
    if (late.length > 0) ok(`${late.length} pages that only e-mails link to: ${late.map(kindOf).join(' ')}`);
  }
  await crawl(starts, false, 0, [...made]);
  for (const u of [...made].slice(0, full ? made.size : 20)) {
    if (Date.now() - started > budgetMs) break;
    await visit(`/api/v1${u}`, 'JSON twin');
  }
  // E-mail previews for a contact whose every field carries a payload:
  // the merge must escape them in the HTML part.
  templates = new Set([...allVisited].map((v) => (v.match(/^\/marketing\/templates\/(\d+)/) || [])[1]).filter(Boolean));
  for (const t of templates)
    for (const who of madeContacts.slice(-2)) {
      await visit(`/marketing/templates/${t}/preview?contact=${encodeURIComponent(who)}`, 'preview for a contact made here');
      previews++;
    }
  // Search results for the payloads' own words.
  for (const q of full ? ['script', 'onerror', 'javascript', 'xss', 'svg'] : ['script', 'onerror'])
    for (const path of ['/customers/search', '/service/kb/search', '/customers/contacts', '/sales/leads', '/service/tickets'])
      await visit(`${path}?q=${encodeURIComponent(q)}`, 'search');
} finally {
  await browser.close();
}

const secs = Math.round((Date.now() - started) / 1000);
if (process.env.XSS_REPORT)
  writeFileSync(process.env.XSS_REPORT, [
    `# ${new Date().toISOString()} ${full ? 'full' : 'quick'} run, ${secs} s`,
    `# forms accepted (${accepted.length}):`, ...accepted,
    `# forms refused (${refused.length}):`, ...refused,
    `# pages visited (${allVisited.size}):`, ...[...allVisited].sort(),
    `# payload uses: ${uses.size}`,
    ...[...uses].map(([id, u]) => `${id}\t${u.where}\t${JSON.stringify(u.payload.slice(0, 120))}`),
  ].join('\n') + '\n');

if (full) say(`# xss: ${roundsDone} payload rounds of ${corpus.length - 1} (shard ${shardK}/${shardN})`);
say(`# xss: ${pagesChecked} pages checked, ${formsSent} form submissions (${formsAccepted} forms accepted, ${formsRefused} refused), ${apiSent} API writes, ${uses.size} payloads placed, ${markersSeen} seen back on pages, ${csvSeen.size} CSV exports, ${secs} s`);
if (Date.now() - started > budgetMs) fail('the crawl finished in its time budget', `stopped after ${secs} s`);
else ok(`the crawl finished (${secs} s)`);
// The crawl must have done its work, or the checks below prove nothing.
if (formsAccepted >= 40) ok(`${formsAccepted} forms took payloads`); else fail('forms took payloads', `only ${formsAccepted}: ${refused.slice(0, 5).join('; ')}`);
if (markersSeen >= 200) ok(`payloads came back on pages ${markersSeen} times`); else fail('payloads came back on pages', `only ${markersSeen} times`);
if (previews > 0) ok(`${previews} e-mail previews for contacts made of payloads`); else fail('e-mail previews for contacts made of payloads', `no template or contact made (contacts: ${madeContacts.length}, templates: ${templates.size})`);
if (csvSeen.size >= 2) ok(`${csvSeen.size} CSV exports read`); else fail('CSV exports read', `only ${csvSeen.size}`);
if (csvGuarded > 0) ok(`${csvGuarded} CSV cells starting = + - @ were written as '...`);
else fail("CSV cells starting = + - @ written as '...", 'no export held one, so the guard went untested');
for (const need of (process.env.XSS_MUST || '').split(/\s+/).filter(Boolean))
  if (accepted.some((a) => a.startsWith(`POST ${need} `))) ok(`the form ${need} took payloads`);
  else fail(`the form ${need} took payloads`, 'it was not reached or refused them all');
const kinds = ['a payload ran', 'a dialog opened', 'a console error names a payload', 'a script error names a payload',
  'a payload arrived unescaped', 'an injected element or attribute', 'a header was split', 'a CSV cell could run as a formula',
  'an API write answered as something other than JSON', 'an API answer may be sniffed as HTML'];
for (const k of kinds) {
  const list = [...findings.values()].filter((f) => f.startsWith(k + ' '));
  if (list.length === 0) ok(`nothing: ${k}`);
  else for (const f of list.slice(0, 20)) fail(k, f.slice(k.length + 4));
}
