'use strict';
// Bokmål, nynorsk and English: the header's language form, the choice being
// stored on the account, and the browser's Accept-Language before login.

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, newPage, login, logout, switchLanguage, navLinks, visit, expectAccessible, pathOf } = require('./helpers');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  // Whatever happened above, leave admin on bokmål for the other test files.
  try {
    const { context, page } = await newPage(browser);
    await login(page, 'admin');
    if ((await page.getAttribute('html', 'lang')) !== 'nb') {
      await switchLanguage(page, 'nb');
    }
    await context.close();
  } finally {
    await browser?.close();
  }
});

async function navTexts(page) {
  return (await navLinks(page)).map((l) => l.text);
}

test('before login, the login page follows the browser language (Accept-Language)', async () => {
  const { context, page } = await newPage(browser, { locale: 'en-GB' });
  try {
    await page.goto('/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal((await page.textContent('main h1')).trim(), 'Log in');
    assert.equal((await page.textContent('a.ds-skip-link')).trim(), 'Skip to main content');
    assert.equal(await page.inputValue('#lang-select'), 'en', 'the language menu shows English');
    await expectAccessible(page, 'login page in English');
  } finally {
    await context.close();
  }

  // And a Norwegian browser gets bokmål.
  const nb = await newPage(browser, { locale: 'nb-NO' });
  try {
    await nb.page.goto('/login');
    assert.equal(await nb.page.getAttribute('html', 'lang'), 'nb');
    assert.equal((await nb.page.textContent('main h1')).trim(), 'Logg inn');
  } finally {
    await nb.context.close();
  }
});

test('admin switches to nynorsk and English; the choice is remembered on the account', async () => {
  const first = await newPage(browser);
  try {
    const { page } = first;
    await login(page, 'admin');
    assert.equal(await page.getAttribute('html', 'lang'), 'nb');
    assert.ok((await navTexts(page)).includes('Personer'));

    await switchLanguage(page, 'nn');
    assert.equal(pathOf(page), '/', 'the language form returns to the same page');
    assert.ok((await navTexts(page)).includes('Personar'), `nynorsk navigation: ${await navTexts(page)}`);
    assert.equal((await page.textContent('main h1')).trim(), 'Velkomen til Løft');
    assert.equal(await page.inputValue('#lang-select'), 'nn');
    await expectAccessible(page, 'home in nynorsk');

    await visit(page, '/people');
    await switchLanguage(page, 'en');
    assert.equal(pathOf(page), '/people', 'the language form returns to the same page');
    assert.equal((await page.textContent('main h1')).trim(), 'People');
    assert.ok((await navTexts(page)).includes('People'), `English navigation: ${await navTexts(page)}`);
    await expectAccessible(page, '/people in English');

    await visit(page, '/account');
    assert.equal((await page.textContent('main h1')).trim(), 'My account');
    assert.equal(await page.isChecked('#l-en'), true, 'the account page shows English as chosen');
    await expectAccessible(page, '/account in English');

    // Logging out keeps the language (cookie), and logging in again too.
    await logout(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal((await page.textContent('main h1')).trim(), 'Log in');
    await login(page, 'admin');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
  } finally {
    await first.context.close();
  }

  // A new browser without the language cookie, asking for bokmål: the account's choice wins after login.
  const second = await newPage(browser, { locale: 'nb-NO' });
  try {
    const { page } = second;
    await page.goto('/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'nb', 'before login the browser language applies');
    await login(page, 'admin');
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the language is stored on the account');
    assert.equal((await page.textContent('main h1')).trim(), 'Welcome to Løft');
    assert.ok((await navTexts(page)).includes('People'));
    await expectAccessible(page, 'home in English');

    // Back to bokmål.
    await switchLanguage(page, 'nb');
    assert.ok((await navTexts(page)).includes('Personer'));
    assert.equal((await page.textContent('main h1')).trim(), 'Velkommen til Løft');
  } finally {
    await second.context.close();
  }
});
