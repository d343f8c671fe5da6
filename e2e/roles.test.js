'use strict';
// Every demo role: log in, see the home page, walk the main navigation with an
// axe check on each page, and log out again.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, newPage, login, logout, navLinks, visit, expectAccessible, pathOf } = require('./helpers');

// What each demo account should be offered in the header, and a role the home page lists (bokmål).
const ROLES = {
  admin: { nav: ['/', '/municipalities', '/people', '/mapping', '/competence', '/courses', '/audit', '/account'], role: 'Systemadministrator' },
  region: { nav: ['/', '/municipalities', '/people', '/mapping', '/competence', '/courses', '/audit', '/account'], role: 'Regional koordinator – Kongsbergregionen' },
  kommune: { nav: ['/', '/municipalities', '/people', '/mapping', '/competence', '/courses', '/audit', '/account'], role: 'Kommunal koordinator – Notodden' },
  leder: { nav: ['/', '/municipalities', '/people', '/mapping', '/competence', '/courses', '/account'], role: 'Leder' },
  ansatt: { nav: ['/', '/mapping', '/competence', '/courses', '/account'], role: 'Ansatt' },
  kurs: { nav: ['/', '/municipalities', '/mapping', '/competence', '/courses', '/account'], role: 'Kursarrangør' },
  styring: { nav: ['/', '/municipalities', '/mapping', '/competence', '/courses', '/account'], role: 'Medlem av styringsgruppe' },
};

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const [username, expected] of Object.entries(ROLES)) {
  test(`${username}: home page, every main navigation page is accessible, logout`, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, username);

      // Home: greets the user by the name shown in the header and lists their roles.
      assert.equal(await page.getAttribute('html', 'lang'), 'nb');
      const name = (await page.textContent('header .user-name')).trim();
      assert.ok(name.length > 0, 'the header shows the logged-in user');
      const welcome = (await page.textContent('main')).replace(/\s+/g, ' ');
      assert.ok(welcome.includes(`Du er logget inn som ${name}.`), `home page greets ${name}`);
      const roles = await page.$$eval('main ul.ds-list li', (items) => items.map((li) => li.textContent.replace(/\s+/g, ' ').trim()));
      assert.ok(roles.length >= 1, `${username} should have at least one role listed`);
      assert.ok(
        roles.some((r) => r === expected.role || r.startsWith(`${expected.role} – `)),
        `${username}'s roles ${JSON.stringify(roles)} should include "${expected.role}"`,
      );
      await expectAccessible(page, `${username}: home`);
      const checked = new Set(['/']);

      // The navigation offers exactly what the role may see.
      const links = await navLinks(page);
      assert.deepEqual(links.map((l) => l.href), expected.nav, `${username}'s main navigation`);
      assert.ok(links.every((l) => l.text.length > 0), 'every navigation link has text');

      for (const link of links) {
        await visit(page, link.href);
        assert.equal(pathOf(page), link.href, `${username} stays on ${link.href}`);
        const current = await page.$$eval('header nav[aria-label] a[aria-current="page"]', (as) => as.map((a) => a.getAttribute('href')));
        assert.deepEqual(current, [link.href], `"${link.text}" is marked as the current page`);
        const h1 = (await page.textContent('main h1')).trim();
        assert.ok(h1.length > 0, `${link.href} has a main heading`);
        if (link.href === '/people' && username === 'kommune') {
          // A municipal coordinator only sees people of their own municipality.
          const municipalities = await page.$$eval('main table tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent.trim()));
          assert.ok(municipalities.length > 0, 'kommune sees people');
          assert.deepEqual([...new Set(municipalities)], ['Notodden']);
        }
        // The home page was checked above in the very same state; every other page is checked here.
        if (!checked.has(link.href)) {
          await expectAccessible(page, `${username}: ${link.href}`);
          checked.add(link.href);
        }
      }

      await logout(page);
      assert.equal(await page.locator('#username').count(), 1, 'the login form is shown after logout');
      // The session is really gone: the home page sends us back to the login page.
      await page.goto('/');
      assert.equal(pathOf(page), '/login');
    } finally {
      await context.close();
    }
  });
}

test('ansatt is refused the organisation and audit pages', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'ansatt');
    for (const href of ['/municipalities', '/audit']) {
      const response = await page.goto(href);
      assert.equal(response.status(), 403, `ansatt on ${href}`);
      assert.equal((await page.textContent('main h1')).trim(), 'Du har ikke tilgang til denne siden.');
      await expectAccessible(page, `ansatt: ${href} (403)`);
    }
  } finally {
    await context.close();
  }
});
