// Browser tests: Debian's chromium driven by playwright-core. Each check
// prints "ok - name" or "FAIL - name"; screenshots go to build/check/.
import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for the given step.
function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

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

  const top = new URL('../..', import.meta.url).pathname;
  const email = `browser-${process.pid}@example.com`;
  const password = 'browser tests sign in 9';
  execFileSync(`${top}cgi-bin/crmctl`, ['--config', `${process.env.CRM_E2E_DIR}/crm.conf`, 'user', 'add',
    '--email', email, '--name', 'Bea Browser', '--role', 'support', '--password-stdin'], { input: password + '\n' });
  const user = await browser.newPage();
  async function signIn(pw) {
    await user.goto(`${base}/login`);
    await user.fill('#email', email);
    await user.fill('#password', pw);
    await user.click('form.form button[type=submit]');
  }

  await check('a wrong password shows the generic message', async () => {
    await signIn('not my password');
    const msg = await user.locator('#login-error').textContent();
    expect(msg.includes('Wrong e-mail or password'), `message "${msg}"`);
  });

  await check('signing in shows the user in the header', async () => {
    await signIn(password);
    await user.waitForURL(`${base}/`);
    expect(await user.locator('.usermenu .who').textContent() === 'Bea Browser', 'no user name in the header');
    await user.screenshot({ path: `${shots}signed-in.png`, fullPage: true });
  });

  let secret = '';
  let enrolStep = 0;
  let recovery = [];
  await check('two-factor enrolment: QR code, first code, recovery codes', async () => {
    await user.goto(`${base}/account/2fa`);
    expect(await user.locator('#qr').isVisible(), 'no QR code');
    const natural = await user.locator('#qr').evaluate((img) => img.naturalWidth);
    expect(natural > 0, 'the QR image does not load (CSP or SVG)');
    secret = (await user.locator('#totp-secret').textContent()).trim();
    await user.screenshot({ path: `${shots}enrol-2fa.png`, fullPage: true });
    enrolStep = Math.floor(Date.now() / 1000 / 30);
    await user.fill('#code', totp(secret, enrolStep));
    await user.click('#enable-2fa button');
    recovery = await user.locator('#recovery-codes li').allTextContents();
    expect(recovery.length === 10, `${recovery.length} recovery codes`);
  });

  await check('sign-in then asks for the code, and a recovery code works once', async () => {
    await user.click('.usermenu button');
    await signIn(password);
    await user.waitForURL(/\/login\/2fa/);
    await user.fill('#code', recovery[0]);
    await user.click('form.form button[type=submit]');
    await user.waitForURL(`${base}/`);
    await user.click('.usermenu button');
    await signIn(password);
    await user.waitForURL(/\/login\/2fa/);
    await user.fill('#code', recovery[0]);
    await user.click('form.form button[type=submit]');
    const err = await user.locator('#code-error').textContent();
    expect(err.includes('not valid'), `reused recovery code: "${err}"`);
  });

  await check('a fresh authenticator code completes sign-in; the same code twice does not', async () => {
    const code = totp(secret, enrolStep + 1);
    await user.fill('#code', code);
    await user.click('form.form button[type=submit]');
    await user.waitForURL(`${base}/`);
    await user.click('.usermenu button');
    await signIn(password);
    await user.fill('#code', code);
    await user.click('form.form button[type=submit]');
    expect(await user.locator('#code-error').isVisible(), 'a replayed code was accepted');
    await user.click('#cancel-2fa button');
  });

  await check('switching to Chinese shows Chinese pages', async () => {
    await user.goto(`${base}/`);
    await user.click('#language button[value="zh_CN"]');
    await user.waitForURL(`${base}/`);
    expect(await user.locator('html').getAttribute('lang') === 'zh-CN', 'html lang is not zh-CN');
    const nav = await user.locator('nav.nav').innerText();
    expect(nav.includes('首页'), `nav is "${nav}"`);
    const card = await user.locator('.card h2').first().textContent();
    expect(card === '客户', `first card is "${card}"`);
    await user.screenshot({ path: `${shots}home-zh.png`, fullPage: true });
    await user.goto(`${base}/login`);
    expect((await user.locator('h1').textContent()) === '登录', 'the sign-in page is not in Chinese');
    await user.click('#language button[value="en"]');
    expect((await user.locator('h1').textContent()) === 'Sign in', 'switching back to English failed');
  });

  await check('repeated wrong passwords are throttled with a readable message', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    // From the third failure each wait doubles (1 s, 2 s, 4 s...), so a
    // few more quick tries always land inside one, however slow the page.
    let msg = '';
    for (let i = 0; i < 8 && !msg.includes('Too many'); i++) {
      await p.goto(`${base}/login`);
      await p.fill('#email', `throttle-${process.pid}@example.com`);
      await p.fill('#password', `wrong password ${i}`);
      await p.click('form.form button[type=submit]');
      msg = await p.locator('#login-error').textContent();
    }
    expect(msg.includes('Too many failed sign-ins'), `message "${msg}"`);
    await p.screenshot({ path: `${shots}throttled.png` });
    await ctx.close();
  });

  await check('a browser asking for Chinese gets Chinese before signing in', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN', extraHTTPHeaders: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
    const p = await ctx.newPage();
    await p.goto(`${base}/login`);
    expect((await p.locator('h1').textContent()) === '登录', 'no Chinese for Accept-Language zh-CN');
    await ctx.close();
  });

  await check('a sales user creates an account and finds it in the list', async () => {
    const seller = `seller-${process.pid}@example.com`;
    execFileSync(`${top}cgi-bin/crmctl`, ['--config', `${process.env.CRM_E2E_DIR}/crm.conf`, 'user', 'add',
      '--email', seller, '--name', 'Sam Seller', '--role', 'sales', '--password-stdin'], { input: password + '\n' });
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(`${base}/login`);
    await p.fill('#email', seller);
    await p.fill('#password', password);
    await p.click('form.form button[type=submit]');
    await p.click('nav a[href="/customers"]');
    await p.click('#new-account');
    await p.fill('#name', `Harbor Foods ${process.pid}`);
    await p.fill('#city', '杭州');
    await p.fill('#annual_revenue', '98000.5');
    await p.click('#account-form button[type=submit]');
    expect((await p.locator('#account-name').textContent()) === `Harbor Foods ${process.pid}`, 'not on the account page');
    expect((await p.locator('.flash').textContent()).includes('created'), 'no confirmation');
    await p.fill('#annual_revenue', 'lots');
    await p.click('#account-form button[type=submit]');
    expect(await p.locator('.field-error').isVisible(), 'a bad amount was not refused next to the field');
    await p.goto(`${base}/customers?q=Harbor%20Foods%20${process.pid}`);
    const row = await p.locator('#accounts tbody tr').first().innerText();
    expect(row.includes('$98,000.50') && row.includes('Sam Seller'), `row "${row}"`);
    await p.screenshot({ path: `${shots}accounts.png`, fullPage: true });
    await ctx.close();
  });

  async function signInAs(email, name, role) {
    execFileSync(`${top}cgi-bin/crmctl`, ['--config', `${process.env.CRM_E2E_DIR}/crm.conf`, 'user', 'add',
      '--email', email, '--name', name, '--role', role, '--password-stdin'], { input: password + '\n' });
    const ctx = await browser.newContext({ acceptDownloads: true });
    const p = await ctx.newPage();
    await p.goto(`${base}/login`);
    await p.fill('#email', email);
    await p.fill('#password', password);
    await p.click('form.form button[type=submit]');
    return { ctx, p };
  }

  await check('contacts: add one from an account, autocomplete, edit, log a call, export', async () => {
    const { ctx, p } = await signInAs(`carer-${process.pid}@example.com`, 'Cara Carer', 'sales');
    await p.goto(`${base}/customers/accounts/new`);
    await p.fill('#name', `Lotus Tea ${process.pid}`);
    await p.click('#account-form button[type=submit]');
    await p.click('#add-contact');
    expect((await p.inputValue('#account')).startsWith(`Lotus Tea ${process.pid} #`), 'account not filled in');
    await p.fill('#first_name', '小龙');
    await p.fill('#last_name', '李');
    await p.fill('#email', `Li.XL.${process.pid}@Example.cn`);
    await p.fill('#mobile', '139 1234 5678');
    await p.fill('#country', 'CN');
    await p.click('#contact-form button[type=submit]');
    expect((await p.locator('#contact-name').textContent()) === '李小龙', 'Chinese name not family-first');
    expect(await p.locator('#vcard-qr').isVisible(), 'no vCard QR code');
    // Edit: a bad e-mail is refused next to the field, then a good one saves.
    await p.fill('#email', 'nope');
    await p.fill('#title', '采购经理');
    await p.locator('#email').evaluate((e) => { e.type = 'text'; });
    await p.click('#contact-form button[type=submit]');
    expect(await p.locator('.field-error').first().isVisible(), 'bad e-mail not refused next to the field');
    expect((await p.inputValue('#title')) === '采购经理', 'typed title not kept');
    await p.fill('#email', `li.xl.${process.pid}@example.cn`);
    await p.click('#contact-form button[type=submit]');
    expect((await p.locator('.flash').innerText()).includes('saved'), 'no saved message');
    // Log a call on the timeline.
    await p.selectOption('#activity-kind', 'call');
    await p.fill('#activity-subject', `Asked about oolong ${process.pid}`);
    await p.click('#activity-form button[type=submit]');
    expect((await p.locator('#timeline').innerText()).includes(`Asked about oolong ${process.pid}`), 'call not on the timeline');
    await p.screenshot({ path: `${shots}contact.png`, fullPage: true });
    // Autocomplete fills the datalist from the server as one types.
    await p.goto(`${base}/customers/contacts/new`);
    await p.locator('#account').pressSequentially('Lotus Tea', { delay: 30 });
    await p.waitForFunction(() => document.querySelectorAll('#account-choices option').length > 0, null, { timeout: 5000 });
    const option = await p.locator('#account-choices option').first().getAttribute('value');
    expect(option.startsWith('Lotus Tea'), `suggestion "${option}"`);
    // Search and export the list view.
    await p.goto(`${base}/customers/contacts`);
    await p.fill('#filter-q', '李小');
    await p.click('#filters button[type=submit]');
    expect((await p.locator('#contacts tbody').innerText()).includes('李小龙'), 'search did not find the contact');
    const [download] = await Promise.all([p.waitForEvent('download'), p.click('#export')]);
    const csv = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(csv).toString().includes(`li.xl.${process.pid}@example.cn`), 'export lacks the contact');
    await ctx.close();
  });

  await check('duplicates: an admin merges two records of one person', async () => {
    const { ctx, p } = await signInAs(`merger-${process.pid}@example.com`, 'Max Merger', 'admin');
    for (const phone of ['+1 415 555 0142', '+1 415 555 0143']) {
      await p.goto(`${base}/customers/contacts/new`);
      await p.fill('#first_name', 'Olga');
      await p.fill('#last_name', `Twin${process.pid}`);
      await p.fill('#email', `olga.${process.pid}@example.com`);
      await p.fill('#phone', phone);
      await p.click('#contact-form button[type=submit]');
    }
    await p.goto(`${base}/customers/duplicates?kind=email`);
    let more = true;
    while (more && !(await p.locator(`text=olga.${process.pid}@example.com`).count())) {
      more = (await p.locator('.pager a').count()) > 0;
      if (more) await p.click('.pager a');
    }
    const group = p.locator('.dup-group', { hasText: `olga.${process.pid}@example.com` });
    await group.locator('a.button').click();
    await p.check('#pick-phone-b');
    await p.click('#merge');
    expect((await p.locator('.flash').innerText()).includes('merged'), 'no merged message');
    expect((await p.locator('#contact-form').count()) === 1, 'not on the survivor');
    expect((await p.inputValue('#phone')) === '+1 415 555 0143', 'picked phone not kept');
    await ctx.close();
  });

  await check('import: upload a CSV, see the bad row in the preview, import, download the problems', async () => {
    const { ctx, p } = await signInAs(`importer-${process.pid}@example.com`, 'Ida Importer', 'manager');
    const csv = `姓名,邮箱,手机,公司\n王 芳${process.pid},wang.${process.pid}@example.cn,+86 139 ${String(process.pid % 10000).padStart(4, '0')} 0001,浏览器公司\n` +
      `Broken ${process.pid},not-an-email,,\n`;
    await p.goto(`${base}/customers/imports`);
    await p.setInputFiles('#file', { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await p.click('#import-upload button[type=submit]');
    expect((await p.inputValue('#col1')) === 'email', '邮箱 not guessed as the e-mail');
    expect((await p.locator('#import-preview tr.row-problem').innerText()).includes('Enter an e-mail address'),
      'the bad row is not flagged in the preview');
    await p.click('#import-start');
    await p.waitForFunction(() => /Done|Failed/.test(document.querySelector('#import-status').textContent),
      null, { timeout: 20000 });
    expect((await p.locator('#import-status').innerText()) === 'Done', 'import did not finish');
    expect((await p.locator('#import-counts').innerText()).replace(/\s+/g, ' ').includes('Created 1'), 'not 1 created');
    const [download] = await Promise.all([p.waitForEvent('download'), p.click('#import-problems')]);
    const body = Buffer.concat(await (await download.createReadStream()).toArray()).toString();
    expect(body.includes(`Broken ${process.pid}`) && body.includes('Enter an e-mail address'), 'problems CSV lacks the bad row');
    await p.screenshot({ path: `${shots}import.png`, fullPage: true });
    await p.goto(`${base}/customers/search?q=${encodeURIComponent(`王 芳${process.pid}`)}`);
    expect((await p.locator('main').innerText()).includes(`王 芳${process.pid}`), 'imported contact not found by search');
    await ctx.close();
  });

  await check('leads: a web form takes a lead in a real browser, the lead converts', async () => {
    const { ctx, p } = await signInAs(`formadmin-${process.pid}@example.com`, 'Fay Forms', 'admin');
    await p.goto(`${base}/sales/lead-forms`);
    await p.fill('#webform-name', `Browser form ${process.pid}`);
    await p.click('#webform-form button[type=submit]');
    const href = await p.locator('#webform-public-url').getAttribute('href');
    expect((await p.inputValue('#webform-snippet')).includes(href), 'the snippet does not post to the public address');
    const visitor = await browser.newContext();
    const v = await visitor.newPage();
    await v.goto(`${base}/sales/forms/${href.split('/').pop()}`);
    expect(!(await v.locator('#lead-field-website').isVisible()), 'the honeypot is visible');
    await v.fill('#lead-field-first_name', 'Vera');
    await v.fill('#lead-field-last_name', `Visitor${process.pid}`);
    await v.fill('#lead-field-company', `Vera Ventures ${process.pid}`);
    await v.fill('#lead-field-email', `vera-${process.pid}@example.com`);
    await v.waitForTimeout(3200);
    await v.click('#lead-public-submit');
    expect(await v.locator('#lead-thanks').isVisible(), 'no thank-you page');
    await visitor.close();
    await p.goto(`${base}/sales/leads?q=${encodeURIComponent(`Vera Ventures ${process.pid}`)}`);
    await p.click(`#leads a:has-text("Vera Visitor${process.pid}")`);
    await p.fill('#convert-amount', '5000');
    await p.click('#convert-submit');
    expect((await p.locator('#lead-account').textContent()) === `Vera Ventures ${process.pid}`, 'no account link');
    expect(await p.locator('#lead-opportunity').isVisible(), 'no opportunity link');
    await p.screenshot({ path: `${shots}lead-converted.png`, fullPage: true });
    await ctx.close();
  });

  await check('sales board: a new deal, dragged to the next stage, stays there after a reload', async () => {
    const { ctx, p } = await signInAs(`dealer-${process.pid}@example.com`, 'Dee Dealer', 'sales');
    const errors = [];
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await p.goto(`${base}/customers/accounts/new`);
    await p.fill('#name', `Board Co ${process.pid}`);
    await p.click('#account-form button[type=submit]');
    const account = `Board Co ${process.pid} #${p.url().match(/accounts\/(\d+)/)[1]}`;
    await p.goto(`${base}/sales/opportunities/new`);
    await p.fill('#name', `Drag me ${process.pid}`);
    await p.fill('#account', account);
    await p.fill('#amount', '1234.50');
    await p.click('#deal-form button[type=submit]');
    expect((await p.locator('#deal-name').textContent()) === `Drag me ${process.pid}`, 'deal not created');
    const id = p.url().match(/opportunities\/(\d+)/)[1];
    await p.goto(`${base}/sales`);
    const cols = await p.locator('#board .board-col[data-kind="open"]').evaluateAll((els) => els.map((e) => e.dataset.stage));
    expect(cols.length >= 2, 'fewer than two open columns');
    const card = p.locator(`#deal-${id}`);
    expect((await card.getAttribute('data-stage')) === cols[0], 'the deal is not in the first column');
    // A card stays inside its column whatever the stage names (a long one
    // once widened the cards, and the drag began on the move list).
    const cardBox = await card.boundingBox(), colBox = await p.locator(`#col-${cols[0]}`).boundingBox();
    expect(cardBox.x + cardBox.width <= colBox.x + colBox.width + 1, `the card is ${cardBox.width}px wide in a ${colBox.width}px column`);
    const before = Number(await p.locator(`#col-${cols[1]}-count`).textContent());
    const [answer] = await Promise.all([
      p.waitForResponse((r) => r.url().endsWith(`/api/v1/sales/opportunities/${id}/stage`)),
      card.dragTo(p.locator(`#col-${cols[1]}`)),
    ]);
    expect(answer.status() === 200, `move answered ${answer.status()}`);
    await p.locator(`#col-${cols[1]} #deal-${id}`).waitFor({ timeout: 5000 });
    expect(await p.locator(`#col-${cols[1]} #deal-${id}`).count() === 1, 'the card did not move to the column');
    expect(Number(await p.locator(`#col-${cols[1]}-count`).textContent()) === before + 1, 'the column count did not go up');
    await p.reload();
    expect(await p.locator(`#col-${cols[1]} #deal-${id}`).count() === 1, 'after a reload the card is not in the new column');
    expect((await p.inputValue(`#move-${id} select[name="stage_id"]`)) === cols[1], 'the plain form does not show the new stage');
    await p.screenshot({ path: `${shots}board.png`, fullPage: true });
    await p.setViewportSize({ width: 375, height: 740 });
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(!overflow, 'the board page scrolls sideways on a phone (only the board should)');
    await p.screenshot({ path: `${shots}board-phone.png`, fullPage: true });
    expect(errors.length === 0, errors.join(' | '));
    await ctx.close();
  });

  // The sales journey, end to end: a visitor's web form becomes a lead,
  // the lead a deal, the deal a quote with a discount a manager must
  // approve; the customer checks the PDF's QR link, accepts, and the
  // order is there with the deal won.
  await check('sales journey: web form, lead, deal, quote with approval, PDF, acceptance, order', async () => {
    const run = process.pid;
    const sql = (q) => execFileSync('mariadb', ['--no-defaults', '-S', `${process.env.CRM_E2E_DIR}/run/mysql.sock`,
      '-u', process.env.USER || 'root', '-N', 'crm', '-e', q]).toString().trim();
    const admin = await signInAs(`j-admin-${run}@example.com`, `Jo Admin ${run}`, 'admin');
    const seller = await signInAs(`j-seller-${run}@example.com`, `Sid Seller ${run}`, 'sales');
    const boss = await signInAs(`j-boss-${run}@example.com`, `Bo Boss ${run}`, 'manager');
    // The manager reaches the seller's records through their team.
    sql(`INSERT INTO teams (name) VALUES ('Journey ${run}')`);
    sql(`UPDATE users SET team_id = (SELECT id FROM teams WHERE name = 'Journey ${run}')
      WHERE email IN ('j-seller-${run}@example.com', 'j-boss-${run}@example.com')`);

    // The admin: a product, and a web form whose leads go to the seller.
    let a = admin.p;
    await a.goto(`${base}/sales/products/new`);
    await a.fill('#sku', `JRN-${run}`);
    await a.fill('#name', `Espresso machine ${run}`);
    await a.fill('#list_price', '1999.99');
    await a.fill('#tax_rate', '8.1');
    await a.click('#product-form button[type=submit]');
    expect((await a.locator('#product-name').textContent()).includes(`Espresso machine ${run}`), 'product not created');
    await a.goto(`${base}/sales/lead-forms`);
    await a.fill('#webform-name', `Journey form ${run}`);
    await a.selectOption('#webform-owner', { label: `Sid Seller ${run}` });
    if (await a.isChecked('#webform-use-rules')) await a.uncheck('#webform-use-rules');
    await a.click('#webform-form button[type=submit]');
    const formUrl = await a.locator('#webform-public-url').getAttribute('href');

    // The visitor fills in the form on the public page.
    const visitor = await browser.newContext({ acceptDownloads: true });
    const v = await visitor.newPage();
    await v.goto(formUrl.startsWith('http') ? formUrl : `${base}${formUrl}`);
    await v.fill('#lead-field-first_name', 'Ada');
    await v.fill('#lead-field-last_name', `Roaster${run}`);
    await v.fill('#lead-field-company', `Bean Co ${run}`);
    await v.fill('#lead-field-email', `ada-${run}@bean.example`);
    await v.waitForTimeout(3200);
    await v.click('#lead-public-submit');
    expect(await v.locator('#lead-thanks').isVisible(), 'no thank-you page');

    // The seller converts the lead into an account, a contact and a deal.
    const s = seller.p;
    await s.goto(`${base}/sales/leads?q=${encodeURIComponent(`Bean Co ${run}`)}`);
    await s.click(`#leads a:has-text("Roaster${run}")`);
    await s.fill('#convert-amount', '3600');
    await s.click('#convert-submit');
    await s.click('#lead-opportunity');
    const dealUrl = s.url();
    expect(/\/sales\/opportunities\/\d+$/.test(dealUrl), `not on the deal: ${dealUrl}`);

    // A quote from the deal: two machines at 20 % off, over the 15 % a
    // seller may give alone.
    await s.click('#new-quote');
    await s.fill('#line_product_1', `JRN-${run}`);
    await s.fill('#line_quantity_1', '2');
    await s.fill('#line_discount_1', '20');
    await s.click('#quote-save');
    const quoteUrl = s.url().split('?')[0];
    expect(/\/sales\/quotes\/\d+$/.test(quoteUrl), `not on the quote: ${s.url()}`);
    // 2 x 1999.99 = 3999.98, less 20 % (799.996 -> 800.00) = 3199.98, tax 8.1 % = 259.20 (259.198...).
    const total = (await s.locator('#quote-total').textContent()).trim();
    expect(total.includes('3,459.18'), `total ${total}`);
    expect(await s.locator('#quote-send').count() === 0, 'a quote over the discount limit can be sent');
    await s.click('#quote-request-approval');

    // The manager approves it.
    const b = boss.p;
    await b.goto(quoteUrl);
    await b.fill('#approve-note', 'Good customer');
    await b.click('#quote-approve');
    expect((await b.locator('#quote-status').textContent()).length > 0, 'no status');

    // The seller sends it and checks the PDF: its text, and its QR code
    // is the customer's link.
    await s.goto(quoteUrl);
    await s.click('#quote-send');
    const link = await s.locator('#quote-link').getAttribute('href');
    expect(link.includes('/sales/q/'), `link ${link}`);
    const pdf = await s.request.get(`${quoteUrl}/pdf`);
    expect(pdf.status() === 200 && pdf.headers()['content-type'] === 'application/pdf', `pdf ${pdf.status()}`);
    const file = `${shots}journey-${run}.pdf`;
    writeFileSync(file, await pdf.body());
    const text = execFileSync('pdftotext', [file, '-']).toString();
    const number = (await s.locator('#quote-number').textContent()).trim();
    expect(text.includes(number.split(' ')[0]), `the PDF lacks ${number}`);
    expect(text.includes('3,459.18'), 'the PDF lacks the total');
    expect(text.includes(`Bean Co ${run}`), 'the PDF lacks the customer');
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', file, `${shots}journey-${run}`]);
    const qr = execFileSync('zbarimg', ['-q', '--raw', '--nodbus', `${shots}journey-${run}.png`]).toString().trim();
    expect(qr === link, `the QR says ${qr}, the link is ${link}`);

    // The customer opens the link, signed out, and accepts.
    await v.goto(qr);
    expect((await v.locator('#doc-total').textContent()).includes('3,459.18'), 'the public page lacks the total');
    await v.fill('#accepted_name', 'Ada Roaster');
    await v.click('#quote-accept');
    expect(await v.locator('#public-accepted').isVisible(), 'not accepted');
    await v.screenshot({ path: `${shots}journey-accepted.png`, fullPage: true });
    await visitor.close();

    // The order is there with the quote's total, and the deal is won.
    await s.goto(quoteUrl);
    expect((await s.locator('#quote-accepted-name').textContent()) === 'Ada Roaster', 'acceptance not shown');
    await s.click('#quote-order');
    expect((await s.locator('#order-total').textContent()).includes('3,459.18'), 'order total differs');
    await s.screenshot({ path: `${shots}journey-order.png`, fullPage: true });
    await s.goto(dealUrl);
    const stage = (await s.locator('#deal-stage').getAttribute('class')) || '';
    expect(stage.includes('kind-won'), `the deal is not won: ${stage}`);
    for (const x of [admin, seller, boss]) await x.ctx.close();
  });

  // The service journey: a customer opens a ticket on the public form;
  // the rules give it to an agent, who finds it in their queue, replies,
  // puts it on hold for the customer (the SLA pauses), and resolves it;
  // the customer answers the survey through its link and finds the help
  // article on the public help centre.
  await check('service journey: public ticket, auto-assigned, reply, SLA pause, resolve, survey, help article', async () => {
    const run = process.pid;
    const sql = (q) => execFileSync('mariadb', ['--no-defaults', '-S', `${process.env.CRM_E2E_DIR}/run/mysql.sock`,
      '-u', process.env.USER || 'root', '-N', 'crm', '-e', q]).toString().trim();
    const agent = await signInAs(`j-agent-${run}@example.com`, `Ali Agent ${run}`, 'support');
    sql(`INSERT INTO teams (name) VALUES ('Desk ${run}')`);
    sql(`UPDATE users SET team_id = (SELECT id FROM teams WHERE name = 'Desk ${run}') WHERE email = 'j-agent-${run}@example.com'`);
    sql(`INSERT INTO ticket_categories (name, team_id) SELECT 'Coffee ${run}', id FROM teams WHERE name = 'Desk ${run}'`);
    sql(`INSERT INTO ticket_rules (position, name, category_id, team_id) SELECT -2000, 'Coffee ${run}', c.id, c.team_id
      FROM ticket_categories c WHERE c.name = 'Coffee ${run}'`);
    const a = agent.p;
    // An article, written and published by the agent.
    await a.goto(`${base}/service/kb/new`);
    await a.fill('#title', `Descale the machine ${run}`);
    await a.fill('#body', '# Descale\n\nRun the **descaling** program once a month.');
    await a.selectOption('#status', 'published');
    await a.click('#kb-form button[type=submit]');

    // The customer's ticket.
    const visitor = await browser.newContext();
    const v = await visitor.newPage();
    await v.goto(`${base}/service/new`);
    await v.fill('#ticket-name', 'Cleo Customer');
    await v.fill('#ticket-email', `cleo-${run}@example.com`);
    await v.selectOption('#ticket-category', { label: `Coffee ${run}` });
    await v.fill('#ticket-subject', `Machine needs descale ${run}`);
    await v.fill('#ticket-description', 'The light is blinking.');
    await v.waitForTimeout(3200);
    await v.click('#ticket-public-submit');
    expect(await v.locator('#ticket-thanks').isVisible(), 'no thank-you page');
    const statusLink = await v.locator('#ticket-status-link').getAttribute('href');

    // The agent finds it in their own queue: the rule gave it to them.
    await a.goto(`${base}/service`);
    const row = a.locator('#queue-tickets a', { hasText: `Machine needs descale ${run}` });
    expect(await row.count() === 1, 'the ticket is not in my queue');
    await row.click();
    const ticketUrl = a.url();
    expect(await a.locator('#ticket-first-response-left').count() === 1, 'no SLA time left shown');
    expect(await a.locator('#kb-suggestions a', { hasText: `Descale the machine ${run}` }).count() === 1, 'the article is not suggested');
    await a.check('#reply-kind-public');
    await a.fill('#reply-body', 'Please run the descaling program.');
    await a.click('#reply-send');
    // On hold for the customer: the SLA pauses.
    await a.goto(`${ticketUrl}/edit`);
    await a.selectOption('#status', 'pending');
    await a.click('#ticket-save');
    expect(await a.locator('#ticket-paused').isVisible(), 'the SLA is not shown paused');
    // The customer sees the reply on the status link.
    await v.goto(statusLink);
    expect((await v.locator('#ticket-messages').textContent()).includes('Please run the descaling program.'), 'reply not on the status page');
    // Resolved: the survey link is issued.
    await a.goto(`${ticketUrl}/edit`);
    await a.selectOption('#status', 'resolved');
    await a.click('#ticket-save');
    const id = ticketUrl.match(/tickets\/(\d+)/)[1];
    const token = sql(`SELECT csat_token FROM tickets WHERE id = ${id}`);
    expect(token.length === 43, 'no survey token');
    await v.goto(`${base}/service/s/${token}`);
    await v.check('#survey-score-5');
    await v.fill('#survey-comment', 'Quick help, thanks');
    await v.click('#survey-submit');
    expect(await v.locator('#survey-thanks').isVisible(), 'survey not thanked');
    expect(sql(`SELECT score FROM csat_responses WHERE ticket_id = ${id}`) === '5', 'the answer was not stored');
    // The help centre finds the article.
    await v.goto(`${base}/service/help?q=${encodeURIComponent('descaling')}`);
    expect(await v.locator('#help-results a', { hasText: `Descale the machine ${run}` }).count() === 1, 'help search misses the article');
    await v.screenshot({ path: `${shots}service-help.png`, fullPage: true });
    await visitor.close();
    sql(`DELETE FROM ticket_rules WHERE name = 'Coffee ${run}'`);
    await agent.ctx.close();
  });

  await check('marketing journey: segment, campaign, mail to a sink, tracked link, QR code, unsubscribe, results', async () => {
    const run = process.pid;
    const dir = process.env.CRM_E2E_DIR;
    const sql = (q) => execFileSync('mariadb', ['--no-defaults', '-S', `${dir}/run/mysql.sock`,
      '-u', process.env.USER || 'root', '-N', 'crm', '-e', q]).toString().trim();
    const town = `Journeytown${run}`;
    // Three customers in one town who said yes to e-mail, and one who did not.
    sql(`INSERT INTO accounts (name, owner_id) SELECT 'Journey Co ${run}', MIN(id) FROM users`);
    for (const [first, consent] of [['Ada', 1], ['Ben', 1], ['Cai', 1], ['Dee', 0]])
      sql(`INSERT INTO contacts (first_name, last_name, full_name, email, email_norm, city, consent_email, account_id, owner_id)
        SELECT '${first}', 'J${run}', '${first} J${run}', '${first.toLowerCase()}-${run}@example.com',
        '${first.toLowerCase()}-${run}@example.com', '${town}', ${consent}, id, owner_id FROM accounts WHERE name = 'Journey Co ${run}'`);
    // A local SMTP sink keeping each message, and the relay pointed at it.
    const port = 12600 + (run % 300);
    const mails = `${shots}journey-mail-${run}`;
    mkdirSync(mails, { recursive: true });
    const sink = spawn('python3', [`${top}tests/e2e/marketing_sink.py`, '127.0.0.1', String(port), `${mails}/log`, '--save', mails],
      { stdio: 'ignore' });
    writeFileSync(`${mails}/log`, '');
    const relay = sql(`SELECT value FROM settings WHERE name = 'smtp_relay'`);
    sql(`UPDATE settings SET value = '127.0.0.1:${port}' WHERE name = 'smtp_relay'`);
    const runner = () => execFileSync(`${top}cgi-bin/crm-marketing`, ['--config', `${dir}/crm.conf`, 'jobs', '--once'],
      { stdio: 'ignore' });
    try {
      const { ctx, p } = await signInAs(`j-mkt-${run}@example.com`, `Mo Marketer ${run}`, 'marketing');
      // The segment, built in the form: the four in town.
      await p.goto(`${base}/marketing/segments/new`);
      await p.fill('#name', `Town ${run}`);
      await p.selectOption('select[name="g0_c0_field"]', 'contact.city');
      await p.selectOption('select[name="g0_c0_op"]', 'eq');
      await p.fill('input[name="g0_c0_value"]', town);
      await p.click('#save-segment');
      expect((await p.locator('#member-count').innerText()).startsWith('4 '), 'the segment does not count the four');
      // The e-mail template with merge fields and a link.
      await p.goto(`${base}/marketing/templates/new`);
      await p.fill('#name', `Offer ${run}`);
      await p.fill('#subject', 'Hello {{contact.first_name}}');
      await p.fill('#body_html', `<p>Dear {{contact.first_name}},</p><p>read <a href="${base}/service/help">our guide</a>.</p>`);
      await p.fill('#body_text', `Dear {{contact.first_name}}, read our guide: ${base}/service/help`);
      await p.click('#template-save');
      // The campaign, aimed at the segment, filled.
      await p.goto(`${base}/marketing/campaigns/new`);
      await p.fill('#name', `Spring ${run}`);
      await p.selectOption('#type', 'email');
      await p.fill('#currency', sql(`SELECT value FROM settings WHERE name = 'base_currency'`) || 'USD');
      await p.fill('#budget', '100');
      await p.fill('#actual_cost', '60');
      await p.click('#campaign-form button[type=submit]');
      const campaignUrl = p.url().replace(/[?#].*$/, '');
      const id = campaignUrl.match(/campaigns\/(\d+)/)[1];
      await p.selectOption('#segment_id', { label: `Town ${run}` });
      await p.click('#add-segment-form button[type=submit]');
      await p.click('#fill-form button[type=submit]');
      expect(sql(`SELECT members FROM campaigns WHERE id = ${id}`) === '4', 'the campaign has not the four members');
      // The send: three get it, the one without consent is skipped.
      await p.click('#send-link');
      await p.selectOption('#template_id', { label: `Offer ${run}` });
      expect((await p.locator('#will-get').innerText()).trim() === '3', 'not three to get it');
      await p.click('#send-start');
      // This runner, or the stack's own, sends them: wait for the three.
      runner();
      // Only this journey's: mail left queued by earlier tests (the service
      // journey's, say) goes here too once the relay points at the sink.
      const mine = new RegExp(`\t(ada|ben|cai|dee)-${run}@example\\.com$`);
      const received = () => readFileSync(`${mails}/log`, 'utf8').split('\n').filter((l) => mine.test(l));
      for (let i = 0; i < 60 && received().length < 3; i++) await p.waitForTimeout(250);
      expect(received().length === 3, `the sink got ${received().length} messages`);
      // Each message: its headers, and its parts decoded from base64.
      const got = {};
      for (const f of readdirSync(mails).filter((f) => f.endsWith('.eml'))) {
        const raw = readFileSync(`${mails}/${f}`, 'utf8');
        const head = raw.split(/\r?\n\r?\n/)[0];
        const parts = raw.split(/\r?\n--/).map((part) => {
          const at = part.search(/\r?\n\r?\n/);
          return at > 0 && /Content-Transfer-Encoding:\s*base64/i.test(part.slice(0, at))
            ? Buffer.from(part.slice(at).replace(/\s+/g, ''), 'base64').toString('utf8') : '';
        }).join('\n');
        const who = (head.match(/^To:.*?([\w.+-]+@[\w.-]+)/mi) || [])[1];
        got[who] = `${head}\n\n${parts}`;
      }
      for (const first of ['Ada', 'Ben', 'Cai']) {
        const raw = got[`${first.toLowerCase()}-${run}@example.com`];
        expect(raw, `no message to ${first}`);
        expect(new RegExp(`^Subject: Hello ${first}`, 'mi').test(raw), `${first}'s subject is not merged`);
        expect(raw.includes(`Dear ${first},`), `${first}'s body is not merged`);
        expect(/^List-Unsubscribe:/mi.test(raw), `${first}'s message has no List-Unsubscribe`);
      }
      expect(!got[`dee-${run}@example.com`], 'the one without consent got it');
      // Ben follows the tracked link: it counts and lands on the guide.
      const ben = got[`ben-${run}@example.com`];
      const tracked = ben.match(/https?:\/\/[^\s"<>]+\/r\/[A-Za-z0-9_-]{22}\?m=[A-Za-z0-9_-]{43}/)[0];
      const visitor = await browser.newContext();
      const v = await visitor.newPage();
      await v.goto(tracked);
      expect(new URL(v.url()).pathname === '/service/help', `the link led to ${v.url()}`);
      // Cai unsubscribes from the link in the mail, without signing in.
      const cai = got[`cai-${run}@example.com`];
      const unsubscribe = cai.match(/https?:\/\/[^\s"<>]+\/u\/[A-Za-z0-9_-]{43}/)[0];
      await v.goto(unsubscribe);
      await v.click('#unsubscribe-confirm');
      expect(await v.locator('#unsubscribed').isVisible(), 'no unsubscribe confirmation');
      expect(sql(`SELECT consent_email FROM contacts WHERE full_name = 'Cai J${run}'`) === '0', 'Cai still has consent');
      // The results moved: three reached, one click, one unsubscribed.
      await p.goto(campaignUrl);
      const step = async (key) => (await p.locator(`#funnel-${key} td.num`).first().innerText()).trim();
      expect(await step('reached') === '3', `reached ${await step('reached')}`);
      expect(await step('clicked') === '1', `clicked ${await step('clicked')}`);
      expect(await step('unsubscribed') === '1', `unsubscribed ${await step('unsubscribed')}`);
      await p.screenshot({ path: `${shots}marketing-campaign.png`, fullPage: true });
      // A print campaign's link as a QR code: zbarimg reads the PNG, and
      // the address it holds counts a click too.
      await p.goto(`${base}/marketing/campaigns/new`);
      await p.fill('#name', `Flyer ${run}`);
      await p.selectOption('#type', 'print');
      await p.fill('#currency', sql(`SELECT value FROM settings WHERE name = 'base_currency'`) || 'USD');
      await p.click('#campaign-form button[type=submit]');
      await p.click('#links-link');
      await p.fill('#link-url', `${base}/service/help`);
      await p.fill('#link-label', 'Flyer');
      await p.click('#link-form button[type=submit]');
      const [download] = await Promise.all([p.waitForEvent('download'), p.click('[id^=link-qr-png-]')]);
      const png = `${mails}/flyer.png`;
      await download.saveAs(png);
      const decoded = execFileSync('zbarimg', ['-q', '--raw', '--nodbus', png], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
      expect(/\/r\/[A-Za-z0-9_-]{22}$/.test(decoded), `the QR code holds ${decoded}`);
      await v.goto(decoded);
      expect(new URL(v.url()).pathname === '/service/help', `the QR address led to ${v.url()}`);
      await p.reload();
      expect((await p.locator('.link-clicks').first().innerText()).trim() === '1', 'the scan was not counted');
      await visitor.close();
      await ctx.close();
    } finally {
      sink.kill();
      sql(`UPDATE settings SET value = '${relay}' WHERE name = 'smtp_relay'`);
    }
  });

  // The reports journey: a manager views each dashboard and downloads
  // one as CSV; runs the analytics from the analytics page and watches
  // the progress bar fill; finds a customer's scores on the account page;
  // and builds a marketing segment from the churn risk.
  await check('reports journey: dashboards, CSV, analytics run with progress, scores on the account, a churn segment', async () => {
    const run = process.pid;
    const dir = process.env.CRM_E2E_DIR;
    const sql = (q) => execFileSync('mariadb', ['--no-defaults', '-S', `${dir}/run/mysql.sock`,
      '-u', process.env.USER || 'root', '-N', 'crm', '-e', q]).toString().trim();
    const { ctx, p } = await signInAs(`j-rep-${run}@example.com`, `Rea Reporter ${run}`, 'admin');
    await p.goto(`${base}/reports`);
    expect((await p.locator('#dashboard-title').innerText()) === 'Manager dashboard', 'an admin does not land on the manager dashboard');
    for (const d of ['sales', 'support', 'marketing', 'manager']) {
      await p.click(`#dashboard-tab-${d}`);
      await p.waitForURL(`${base}/reports/dashboards/${d}`);
      const charts = p.locator('#dashboard-charts figure');
      expect(await charts.count() >= 2, `the ${d} dashboard draws ${await charts.count()} charts`);
      expect(await p.locator('#dashboard-charts svg').first().isVisible(), `the ${d} dashboard's chart is not visible`);
      expect(await p.locator('#dashboard-charts table').count() >= 2, `the ${d} dashboard has no tables`);
      await p.screenshot({ path: `${shots}dashboard-${d}.png`, fullPage: true });
    }
    const [download] = await Promise.all([p.waitForEvent('download'), p.click('#dashboard-csv')]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(download.suggestedFilename().startsWith('dashboard-manager-'), `file ${download.suggestedFilename()}`);
    expect(csv.includes('Team: won, quota and open pipeline'), 'the CSV lacks the team table');

    // An account that ordered long ago and not since: a churn risk.
    sql(`INSERT INTO accounts (name, owner_id) SELECT 'Faded Co ${run}', MIN(id) FROM users`);
    const acc = sql(`SELECT id FROM accounts WHERE name = 'Faded Co ${run}'`);
    sql(`INSERT INTO contacts (first_name, last_name, full_name, account_id, owner_id)
      SELECT 'Fay', 'F${run}', 'Fay F${run}', id, owner_id FROM accounts WHERE id = ${acc}`);
    sql(`INSERT INTO orders (number, account_id, currency, ordered_on, subtotal, tax_total, total, total_base, owner_id)
      SELECT 'JR-${run}', ${acc}, value, UTC_DATE() - INTERVAL 700 DAY, 90, 0, 90, 90, (SELECT MIN(id) FROM users)
      FROM settings WHERE name = 'base_currency'`);
    await p.goto(`${base}/reports/analytics`);
    await p.click('#analytics-run');
    await p.waitForURL(/\/reports\/analytics\/runs\/\d+/);
    expect(await p.locator('#run-progress').isVisible(), 'no progress bar');
    // The page reloads itself until the runner is done.
    await p.waitForFunction(() => document.querySelector('#run-status') &&
      /Done|Failed/.test(document.querySelector('#run-status').textContent), null, { timeout: 120000, polling: 500 });
    expect((await p.locator('#run-status').innerText()).includes('Done'), `the run ${await p.locator('#run-error').allInnerTexts()}`);
    expect(await p.locator('#run-progress').getAttribute('value') === '100', 'the bar is not full');
    await p.screenshot({ path: `${shots}analytics-run.png`, fullPage: true });

    await p.goto(`${base}/customers/accounts/${acc}`);
    expect(/^\d-\d-\d$/.test(await p.locator('#account-rfm-score').innerText()), 'no RFM score on the account');
    expect((await p.locator('#account-segment').innerText()).startsWith('Segment '), 'no segment on the account');
    const churn = await p.locator('#account-churn').innerText();
    expect(/^\d+%$/.test(churn), `no churn risk on the account (${churn})`);
    await p.screenshot({ path: `${shots}account-scores.png`, fullPage: true });
    await p.click('#account-segment');
    await p.waitForURL(/\/reports\/segments\/\d+$/);
    // The segment's customers page by account: this new one is on the
    // page that starts after the one before it.
    await p.goto(`${p.url()}?after_id=${Number(acc) - 1}`);
    expect(await p.locator(`#segment-customer-${acc}`).count() === 1, 'the segment page does not list the account');

    // A segment of the contacts whose account's churn risk is at least this one's.
    const risk = parseInt(churn, 10);
    await p.goto(`${base}/marketing/segments/new`);
    await p.fill('#name', `At risk ${run}`);
    await p.selectOption('select[name="g0_c0_field"]', 'score.churn');
    await p.selectOption('select[name="g0_c0_op"]', 'gt');
    await p.fill('input[name="g0_c0_value"]', String(Math.max(risk - 1, 0)));
    await p.click('#save-segment');
    const members = parseInt(await p.locator('#member-count').innerText(), 10);
    // A segment leaves out deleted and erased contacts (marketing SEGMENT_FROM).
    const want = Number(sql(`SELECT COUNT(*) FROM contacts c JOIN customer_scores s ON s.account_id = c.account_id
      WHERE c.deleted_at IS NULL AND c.erased_at IS NULL AND s.churn_probability * 100 > ${Math.max(risk - 1, 0)}`));
    expect(members === want && members >= 1, `the segment counts ${members}, the scores say ${want}`);
    await p.screenshot({ path: `${shots}segment-churn.png`, fullPage: true });

    // Every page of the reports area from its own menu, each drawn.
    await p.goto(`${base}/reports`);
    const pages = await p.locator('nav.subnav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(pages.length >= 9, `the reports menu has ${pages.length} entries`);
    for (const href of pages) {
      const r = await p.goto(`${base}${href}`);
      expect(r.status() === 200, `${href} answered ${r.status()}`);
      expect(await p.locator(`nav.subnav a[href="${href}"][aria-current="page"]`).count() === 1, `${href} not marked in the menu`);
      expect((await p.locator('h1').first().innerText()).length > 0, `${href} has no heading`);
      await p.screenshot({ path: `${shots}reports${href.replace(/\//g, '-')}.png`, fullPage: true });
    }

    // The report builder: order revenue by month, saved, charted, exported.
    await p.goto(`${base}/reports/saved/new`);
    await p.selectOption('#entity-choice', 'orders');
    await p.click('#choose-entity');
    await p.fill('#name', `Revenue by month ${run}`);
    await p.selectOption('#measure', 'sum');
    await p.selectOption('#field', 'total_base');
    await p.selectOption('#bucket', 'month');
    await p.selectOption('#date_field', 'ordered_on');
    await p.click('#save-report');
    await p.waitForURL(/\/reports\/saved\/\d+/);
    expect((await p.locator('#report-name').innerText()).includes(`Revenue by month ${run}`), 'the saved report is not shown');
    expect(await p.locator('figure svg').count() >= 1, 'the saved report draws no chart');
    const total = sql(`SELECT SUM(total_base) FROM orders WHERE ordered_on >= UTC_DATE() - INTERVAL (DAYOFMONTH(UTC_DATE()) - 1) DAY`);
    const cells = await p.locator('#report-table tbody tr').last().locator('td').allInnerTexts();
    expect(cells.some((t) => t.replace(/,/g, '') === Number(total).toFixed(2) || t.replace(/,/g, '') === String(Math.round(total))),
      `this month's row ${cells.join(' | ')} is not ${total}`);
    const [rep] = await Promise.all([p.waitForEvent('download'), p.click('#report-csv')]);
    expect(readFileSync(await rep.path(), 'utf8').split('\n').length >= 2, 'the report CSV is empty');
    await p.screenshot({ path: `${shots}report-saved.png`, fullPage: true });
    await ctx.close();
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
