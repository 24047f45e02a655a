// The bell in a real browser (automation_notifications.sh runs it with a
// signed-in cookie jar): crm.js asks /notifications/unread with the
// version the page was drawn with, gets 304 while nothing changed, and
// when a notification arrives the count on the bell follows without a
// reload. The poll runs every 30 s while the page is visible, and at once
// when it becomes visible again, which is how this test wakes it.
// Arguments: cookie jar (curl's), the user's id, the run's tag.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const [jar, userId, run] = process.argv.slice(2);
const base = `http://127.0.0.1:${process.env.CRM_E2E_PORT || 18080}`;
const ok = (name) => console.log(`ok - notifications browser: ${name}`);
const fail = (name, why) => console.log(`FAIL - notifications browser: ${name}: ${why}`);
async function check(name, fn) {
  try { await fn(); ok(name); } catch (e) { fail(name, String(e.message || e).split('\n')[0]); }
}
function expect(cond, why) { if (!cond) throw new Error(why); }
const sql = (q) => execFileSync('mariadb', ['--no-defaults', '-S', `${process.env.CRM_E2E_DIR}/run/mysql.sock`,
  '-u', process.env.CRM_E2E_DBUSER || 'root', '-N', 'crm', '-e', q], { encoding: 'utf8' }).trim();

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
try {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const problems = [];
  const answers = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => {
    if (r.url().endsWith('/notifications/unread')) answers.push({ status: r.status(), inm: r.request().headers()['if-none-match'] });
  });
  const wake = () => page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  const bell = () => page.locator('#bell-count');

  let start;
  await check('a page shows the bell with the count', async () => {
    const r = await page.goto(`${base}/customers`);
    expect(r.status() === 200, `status ${r.status()}`);
    start = Number(await bell().getAttribute('data-n'));
    expect(String(start) === sql(`SELECT notify_unread FROM users WHERE id = ${userId}`), `bell ${start}`);
  });
  await check('nothing changed: the conditional request gets 304 and the bell stays', async () => {
    await wake();
    for (let i = 0; i < 50 && answers.length === 0; i++) await page.waitForTimeout(100);
    expect(answers.length >= 1, 'no request');
    const version = sql(`SELECT notify_version FROM users WHERE id = ${userId}`);
    expect(answers[0].status === 304 && answers[0].inm === `"n${version}"`, JSON.stringify(answers[0]));
    expect(Number(await bell().getAttribute('data-n')) === start, 'bell changed');
  });
  await check('a new notification: the bell follows without a reload', async () => {
    // Marked unread again through the table the runner writes, with the
    // counters moved as crm_notify does.
    sql(`UPDATE notifications SET read_at = NULL WHERE user_id = ${userId} ORDER BY id DESC LIMIT 2`);
    sql(`UPDATE users SET notify_unread = (SELECT COUNT(*) FROM notifications WHERE user_id = ${userId} AND read_at IS NULL),
      notify_version = notify_version + 1 WHERE id = ${userId}`);
    const want = sql(`SELECT notify_unread FROM users WHERE id = ${userId}`);
    await wake();
    await page.waitForFunction((w) => document.getElementById('bell-count').getAttribute('data-n') === w, want, { timeout: 5000 });
    expect(await bell().isVisible(), 'the count is hidden');
    expect((await bell().textContent()) === want, 'text');
    expect(answers.some((a) => a.status === 200), 'no 200');
  });
  await check('the bell leads to the notifications page', async () => {
    await page.click('#bell');
    await page.waitForURL(`${base}/notifications`);
    expect(await page.locator('#notifications tr.unread').count() >= 2, 'unread rows');
  });
  await check('no script errors', async () => expect(problems.length === 0, problems.join('; ')));
} finally {
  await browser.close();
}
