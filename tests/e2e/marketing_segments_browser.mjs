// The segment builder in a real browser (marketing_segments.sh runs it
// with a signed-in cookie jar): the live count follows the conditions
// through segments.js and the JSON count, and the plain form's buttons
// still work. Arguments: cookie jar (curl's), the city, the count wanted.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [jar, city, want] = process.argv.slice(2);
const base = `http://127.0.0.1:${process.env.CRM_E2E_PORT || 18080}`;
const ok = (name) => console.log(`ok - segments browser: ${name}`);
const fail = (name, why) => console.log(`FAIL - segments browser: ${name}: ${why}`);
async function check(name, fn) {
  try { await fn(); ok(name); } catch (e) { fail(name, String(e.message || e).split('\n')[0]); }
}
function expect(cond, why) { if (!cond) throw new Error(why); }

// curl's cookie jar: "#HttpOnly_host  FALSE  /  FALSE  0  name  value".
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
  // The count's 422 for a wrong condition is an answer, not a fault.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));

  await check('the builder opens', async () => {
    const r = await page.goto(`${base}/marketing/segments/new`);
    expect(r.status() === 200, `status ${r.status()}`);
  });
  await check('the member count follows the conditions as they change', async () => {
    await page.selectOption('select[name="g0_c0_field"]', 'contact.city');
    await page.selectOption('select[name="g0_c0_op"]', 'eq');
    await page.fill('input[name="g0_c0_value"]', city);
    await page.press('input[name="g0_c0_value"]', 'Tab');
    await page.waitForFunction((w) => document.getElementById('segment-count').textContent.trim() === w,
      want, { timeout: 5000 });
  });
  await check('a row offers only the operators and inputs its field takes', async () => {
    expect(await page.locator('select[name="g0_c0_op"] option[value="gt"]').isDisabled(), 'city offers "over"');
    expect(!(await page.locator('input[name="g0_c0_days"]').isEnabled()), 'city offers days');
    await page.selectOption('select[name="g0_c0_field"]', 'orders.category_spend');
    expect(await page.locator('input[name="g0_c0_days"]').isEnabled(), 'spend on a category offers no days');
    expect(await page.locator('input[name="g0_c0_category"]').isEnabled(), 'spend on a category offers no category');
    expect(await page.inputValue('select[name="g0_c0_op"]') === 'gt', 'the operator did not move to one that fits');
  });
  await check('a wrong condition is explained in place', async () => {
    await page.selectOption('select[name="g0_c0_field"]', 'contact.birthday');
    await page.selectOption('select[name="g0_c0_op"]', 'eq');
    await page.fill('input[name="g0_c0_value"]', '1990-13-01');
    await page.press('input[name="g0_c0_value"]', 'Tab');
    await page.waitForFunction(() => /YYYY-MM-DD/.test(document.getElementById('segment-count').textContent),
      null, { timeout: 5000 });
  });
  await check("the form's own 'add a condition' button still works", async () => {
    await page.selectOption('select[name="g0_c0_field"]', 'contact.city');
    await page.selectOption('select[name="g0_c0_op"]', 'eq');
    await page.fill('input[name="g0_c0_value"]', city);
    await page.click('button[name="add_condition"][value="g0"]');
    await page.waitForSelector('select[name="g0_c1_field"]', { timeout: 5000 });
    expect(await page.inputValue('input[name="g0_c0_value"]') === city, 'the typed value was lost');
  });
  await check('no script errors', async () => {
    expect(problems.length === 0, problems.join('; '));
  });
} finally {
  await browser.close();
}
