// A rule built in a real browser (automation_rules.sh runs it with a
// signed-in cookie jar): the plain form, no script needed; then a ticket
// made through the service form, and the rule's effect seen in its run
// log once the job runner has read the change. Arguments: cookie jar
// (curl's), a unique prefix for names, the signed-in user's name.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [jar, tag, owner] = process.argv.slice(2);
const base = `http://127.0.0.1:${process.env.CRM_E2E_PORT || 18080}`;
const ok = (name) => console.log(`ok - rules browser: ${name}`);
const fail = (name, why) => console.log(`FAIL - rules browser: ${name}: ${why}`);
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
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  let ruleId = null;

  await check('the form opens and the records are chosen first', async () => {
    const r = await page.goto(`${base}/automation/rules/new`);
    expect(r.status() === 200, `status ${r.status()}`);
    expect(await page.locator('#rule-form').count() === 0, 'the rule form shows before records are chosen');
    await page.selectOption('#entity-choice', 'tickets');
    await Promise.all([page.waitForURL(/entity=tickets/), page.click('#choose-entity')]);
    expect(await page.locator('#rule-form').count() === 1, 'no rule form after choosing tickets');
  });

  await check('a rule is built and saved', async () => {
    await page.fill('#name', `${tag} follow-up`);
    await page.selectOption('#trigger', 'create');
    await page.selectOption('select[name="c0_field"]', 'subject');
    await page.selectOption('select[name="c0_op"]', 'starts_with');
    await page.fill('input[name="c0_value"]', tag);
    await page.selectOption('select[name="c1_field"]', 'priority');
    await page.selectOption('select[name="c1_op"]', 'eq');
    await page.fill('input[name="c1_value"]', 'high');
    await page.selectOption('#a0_type', 'task');
    await page.selectOption('select[name="a0_kind"]', 'task');
    await page.fill('input[name="a0_subject"]', `Follow up ${tag}`);
    await page.fill('input[name="a0_due_days"]', '1');
    await page.selectOption('select[name="a0_to"]', 'owner');
    await page.selectOption('#a1_type', 'notify');
    await page.selectOption('select[name="a1_to"]', 'owner');
    await Promise.all([page.waitForURL(/\/automation\/rules\?done=created/), page.click('#save-rule')]);
    const m = page.url().match(/id=(\d+)/);
    expect(m, `no rule id in ${page.url()}`);
    ruleId = m[1];
    const row = page.locator(`#rule-${ruleId}`);
    expect(await row.count() === 1, 'the rule is not in the list');
    expect((await row.innerText()).includes(`${tag} follow-up`), 'the list lacks its name');
  });

  await check('a ticket made in the CRM fires it: the task is in the run log', async () => {
    await page.goto(`${base}/service/tickets/new`);
    await page.fill('#subject', `${tag} printer on fire`);
    await page.selectOption('#priority', 'high');
    await page.selectOption('#channel', 'phone');
    const me = await page.locator('#owner_id option').filter({ hasText: owner }).first().getAttribute('value');
    await page.selectOption('#owner_id', me);
    await Promise.all([page.waitForURL(/\/service\/tickets\/\d+/), page.click('#ticket-save')]);
    let text = '';
    for (let i = 0; i < 60; i++) {
      await page.goto(`${base}/automation/rules/${ruleId}/runs`);
      text = await page.locator('#rule-runs tbody').innerText();
      if (text.includes(`Follow up ${tag}`)) break;
      await page.waitForTimeout(500);
    }
    expect(text.includes(`${tag} printer on fire`), `the run log lacks the ticket: ${text}`);
    expect(text.includes(`Follow up ${tag}`), `the run log lacks the task: ${text}`);
    expect(/Done/.test(text), `the run did not succeed: ${text}`);
  });

  await check('the task is on its owner\'s list of tasks', async () => {
    const r = await page.goto(`${base}/customers/tasks`);
    expect(r.status() === 200, `status ${r.status()}`);
    const body = await page.content();
    expect(body.includes(`Follow up ${tag}`), 'the task is not listed');
  });

  await check('no script errors', async () => { expect(problems.length === 0, problems.join('; ')); });
} finally {
  await browser.close();
}
