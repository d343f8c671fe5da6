'use strict';
// The administrator's way through organisation and people, the login page's
// error and keyboard behaviour, and a phone-sized screen.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, newPage, login, submitLogin, visit, expectAccessible, pathOf } = require('./helpers');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Clicks a link and waits for the page it leads to. */
async function follow(page, link) {
  const href = await link.getAttribute('href');
  await Promise.all([page.waitForURL((url) => url.pathname + url.search === href), link.click()]);
  return href;
}

/** The number in the people list's result line ("107 personer", or "Minst 1 000 personer" where counting stops). */
async function resultCount(page) {
  const line = (await page.textContent('main p[role="status"]')).trim();
  const m = line.match(/^(?:Minst\s+)?([\d\s\u00a0\u202f.,]+)\s+personer?$/);
  assert.ok(m, `result line "${line}" should read "<n> person(er)"`);
  return Number(m[1].replace(/\D/g, ''));
}

/** Searches the people list through its form. */
async function searchPeople(page, text) {
  await page.fill('#q', text);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/people' && url.searchParams.get('q') === text),
    page.click('form[role="search"] button[type="submit"]'),
  ]);
  const count = await resultCount(page);
  const rows = await page.$$eval('main table tbody tr', (trs) =>
    trs.map((tr) => ({
      name: tr.querySelector('td:nth-child(1)').textContent.trim(),
      href: tr.querySelector('td:nth-child(1) a')?.getAttribute('href'),
      email: tr.querySelector('td:nth-child(4)').textContent.trim(),
    })),
  );
  return { count, rows };
}

test('admin: municipalities, a municipality, a unit, people search and a person', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'admin');

    await visit(page, '/municipalities');
    assert.equal((await page.textContent('main h1')).trim(), 'Kommuner');
    const municipalityLinks = page.locator('main table tbody a[href^="/municipalities/"]');
    assert.equal(await municipalityLinks.count(), 7, 'the demo region has seven municipalities, all open to admin');
    await expectAccessible(page, 'admin: /municipalities');

    const kongsberg = page.locator('main table tbody a', { hasText: 'Kongsberg' });
    await follow(page, kongsberg);
    assert.match(pathOf(page), /^\/municipalities\/\d+$/);
    assert.equal((await page.textContent('main h1')).trim(), 'Kongsberg');
    assert.equal((await page.textContent('nav.ds-breadcrumbs a[aria-current="page"]')).trim(), 'Kongsberg');
    const unitLinks = page.locator('.unit-tree a[href^="/units/"]');
    assert.ok((await unitLinks.count()) > 1, 'Kongsberg has a unit tree');
    await expectAccessible(page, 'admin: municipality Kongsberg');

    const unit = unitLinks.first();
    const unitName = (await unit.textContent()).trim();
    await follow(page, unit);
    assert.match(pathOf(page), /^\/units\/\d+$/);
    assert.ok((await page.textContent('main h1')).includes(unitName), `unit page is about ${unitName}`);
    const crumbs = await page.$$eval('nav.ds-breadcrumbs a', (as) => as.map((a) => a.textContent.trim()));
    assert.equal(crumbs[0], 'Kongsberg', 'breadcrumbs start at the municipality');
    assert.equal(crumbs[crumbs.length - 1], unitName, 'breadcrumbs end at the unit');
    await expectAccessible(page, `admin: unit ${unitName}`);

    // People: a common surname, then a letter only Norwegian has.
    await visit(page, '/people');
    const all = await resultCount(page);
    const hansen = await searchPeople(page, 'Hansen');
    assert.ok(hansen.count > 0 && hansen.count < all, `"Hansen" narrows ${all} people to ${hansen.count}`);
    assert.ok(hansen.rows.length > 0 && hansen.rows.length <= hansen.count, 'result rows are shown');
    for (const row of hansen.rows) {
      assert.ok(/(^|[\s,])hansen/i.test(row.name) || /^hansen/i.test(row.email), `"${row.name}" <${row.email}> matches "Hansen"`);
    }
    assert.equal(await page.inputValue('#q'), 'Hansen', 'the search field keeps the query');
    await expectAccessible(page, 'admin: /people?q=Hansen');

    const oe = await searchPeople(page, 'Ø');
    assert.ok(oe.count > 0 && oe.rows.length > 0, 'people whose names start with Ø are found');
    for (const row of oe.rows) {
      assert.match(row.name, /(^|[\s,])Ø/, `"${row.name}" has a name starting with Ø`);
    }
    await expectAccessible(page, 'admin: /people?q=Ø');

    // A person from the Hansen results.
    await visit(page, `/people?q=Hansen`);
    const first = hansen.rows[0];
    const [family, given] = first.name.split(',').map((s) => s.trim());
    await follow(page, page.locator(`main table tbody a[href="${first.href}"]`));
    assert.match(pathOf(page), /^\/people\/\d+$/);
    assert.equal((await page.textContent('main h1')).trim(), `${given} ${family}`);
    const facts = await page.textContent('main dl.facts');
    assert.ok(facts.includes(first.email), 'the person page shows the e-mail address');
    await expectAccessible(page, `admin: person ${given} ${family}`);

    await visit(page, '/people/new');
    const labels = await page.locator('main form[action="/people"] label').count();
    assert.ok(labels > 2, `the registration form has labelled fields (${labels})`);
    await expectAccessible(page, 'admin: /people/new');
  } finally {
    await context.close();
  }
});

test('a wrong password or unknown user gives the same generic error and stays on the login page', async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.goto('/login');
    const messages = [];
    for (const [username, password] of [['admin', 'not-the-password'], ['nobody-by-that-name', 'demo']]) {
      await submitLogin(page, username, password);
      assert.equal(pathOf(page), '/login', 'still on the login page');
      const alert = page.locator('main [role="alert"]');
      assert.equal(await alert.count(), 1, 'one error message');
      messages.push((await alert.textContent()).trim());
      assert.equal(await page.inputValue('#username'), username, 'the user name is kept');
      assert.equal(await page.inputValue('#password'), '', 'the password is not echoed back');
      assert.equal(await page.getAttribute('#username', 'aria-describedby'), 'login-error');
      assert.equal(await page.locator('form.logout-form').count(), 0, 'not logged in');
      await expectAccessible(page, `login error (${username})`);
    }
    assert.equal(messages[0], 'Feil brukernavn eller passord.');
    assert.equal(messages[1], messages[0], 'the message does not tell which part was wrong');
    // The right password still works afterwards.
    await login(page, 'admin');
  } finally {
    await context.close();
  }
});

test('keyboard: the first Tab on the login page reaches the skip link, which moves focus to the main content', async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.goto('/login');
    await expectAccessible(page, 'login page');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const box = el.getBoundingClientRect();
      return { tag: el.tagName, text: el.textContent.trim(), href: el.getAttribute('href'), width: box.width, height: box.height, top: box.top };
    });
    assert.deepEqual({ tag: focused.tag, text: focused.text, href: focused.href }, { tag: 'A', text: 'Hopp til hovedinnhold', href: '#main' });
    assert.ok(focused.width > 1 && focused.height > 1 && focused.top >= 0, `the focused skip link is visible (${JSON.stringify(focused)})`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');
    assert.equal(new URL(page.url()).hash, '#main');
  } finally {
    await context.close();
  }
});

test('phone-sized screen: the home page does not scroll sideways', async () => {
  const { context, page } = await newPage(browser, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  try {
    // admin has the most navigation links, so the widest header.
    await login(page, 'admin');
    const size = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      bodyScrollWidth: document.body.scrollWidth,
    }));
    assert.equal(size.clientWidth, 375);
    assert.ok(size.scrollWidth <= size.clientWidth + 1, `no horizontal scroll: ${JSON.stringify(size)}`);
    assert.ok(size.bodyScrollWidth <= size.clientWidth + 1, `body fits the screen: ${JSON.stringify(size)}`);
    await expectAccessible(page, 'home page at 375×667');
  } finally {
    await context.close();
  }
});
