// Browser tests: Debian's chromium driven by playwright-core. Each check
// prints "ok - name" or "FAIL - name"; screenshots go to build/check/.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const base = `http://127.0.0.1:${process.env.CRM_E2E_PORT || 18080}`;
const shots = new URL('../../build/check/', import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

let failures = 0;
const ok = (name) => console.log(`ok - browser: ${name}`);
const fail = (name, why) => { failures++; console.log(`FAIL - browser: ${name}: ${why}`); };
async function check(name, fn) {
  try { await fn(); ok(name); } catch (e) { fail(name, String(e.message || e).split('\n')[0]); }
}
function expect(cond, why) { if (!cond) throw new Error(why); }

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const problems = [];
  // A 404 page is expected to log its own 404; nothing else may fail.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.includes('/customers/nope'))
      problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(e.message));

  await check('home page renders in the layout', async () => {
    const r = await page.goto(`${base}/`);
    expect(r.status() === 200, `status ${r.status()}`);
    expect((await page.title()) === 'Welcome · CRM', `title "${await page.title()}"`);
    expect(await page.locator('.card h2', { hasText: 'Customers' }).isVisible(), 'no Customers card');
    await page.screenshot({ path: `${shots}home.png`, fullPage: true });
  });

  await check('the stylesheet applies (served by nginx, allowed by the CSP)', async () => {
    const bg = await page.locator('header.top').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg === 'rgb(29, 35, 48)', `header background ${bg}`);
  });

  await check('navigation reaches the status page', async () => {
    await page.click('nav a[href="/admin/health"]');
    await page.waitForURL(`${base}/admin/health`);
    const status = await page.locator('#health-status').textContent();
    expect(status.includes('All systems working'), `status text "${status}"`);
    expect(await page.locator('nav a[aria-current="page"]').textContent() === 'Status', 'nav not marked');
    await page.screenshot({ path: `${shots}health.png`, fullPage: true });
  });

  await check('the status page links to its JSON', async () => {
    await page.click('a[href="/api/v1/admin/health"]');
    const body = JSON.parse(await page.locator('body').innerText());
    expect(body.status === 'ok' && body.database.reachable === true, JSON.stringify(body));
  });

  await check('a missing page shows the 404 page in the layout', async () => {
    const r = await page.goto(`${base}/customers/nope<b>`);
    expect(r.status() === 404, `status ${r.status()}`);
    expect(await page.locator('h1').textContent() === '404 · Not Found', 'wrong heading');
    expect(await page.locator('b').count() === 0, 'markup from the URL was rendered');
  });

  await check('no console errors or CSP violations', async () => {
    expect(problems.length === 0, problems.join(' | '));
  });

  await check('the layout fits a phone screen', async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await phone.goto(`${base}/admin/health`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(!overflow, 'page scrolls sideways on a phone');
    await phone.screenshot({ path: `${shots}health-phone.png`, fullPage: true });
    await phone.close();
  });
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
