'use strict';
// The HR import pages as a municipal coordinator meets them: the upload form, a
// file that is not a table, and the preview of a real file (never applied here,
// so the demo data stays as the other tests expect it).

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { launch, newPage, login, expectAccessible, pathOf } = require('./helpers');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Opens Notodden's import page from the organisation pages, as a user would. */
async function openImports(page) {
  await page.goto('/municipalities');
  await Promise.all([page.waitForURL(/\/municipalities\/\d+$/), page.click('main a:text-is("Notodden")')]);
  await Promise.all([page.waitForURL(/\/imports$/), page.click('main a[href$="/imports"]')]);
}

async function upload(page, name, mimeType, buffer) {
  await page.setInputFiles('#file', { name, mimeType, buffer });
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.click('form[enctype="multipart/form-data"] button[type="submit"]')]);
}

test('a coordinator previews an HR file with an invalid row, in Norwegian, accessibly', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'kommune');
    await openImports(page);
    assert.match(await page.textContent('h1'), /Import fra lønns- og personalsystemet – Notodden/);
    await expectAccessible(page, 'the import page');

    await upload(page, 'bilde.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    assert.match(await page.textContent('[role="alert"]'), /Filen er ikke en CSV- eller Excel-fil\./);
    await expectAccessible(page, 'the import page after a rejected file');

    const csv = 'Ansattnr;Fornavn;Etternavn;E-post;Enhetskode\r\n' +
      '880001;Åsne;Ødegård;asne.odegard@notodden.kommune.no;OPP-S01\r\n' +
      '880002;Feil;Adresse;ikke-en-adresse;OPP-S01\r\n';
    await upload(page, 'hr-eksport.csv', 'text/csv', Buffer.from(csv, 'latin1'));
    assert.match(pathOf(page), /^\/imports\/\d+$/, 'the preview has its own address');
    const main = await page.textContent('main');
    assert.match(main, /Åsne Ødegård/, 'Windows-1252 letters survive');
    assert.match(main, /E-postadressen er ikke gyldig\./);
    assert.match(main, /Forhåndsvist/);
    assert.ok(await page.isVisible('button:text-is("Gjennomfør importen")'), 'the import can be applied from here');
    await expectAccessible(page, 'the import preview');
  } finally {
    await context.close();
  }
});

test('an employee cannot reach the import pages', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'ansatt');
    const response = await page.goto('/municipalities/1/imports');
    assert.equal(response.status(), 403);
  } finally {
    await context.close();
  }
});
