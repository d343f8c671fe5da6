'use strict';
// The HR import pages as a municipal coordinator meets them: the upload form, a
// file that is not a table, the preview of a real file, the mapping editor, and
// an apply followed on its status page and then undone (so the demo data is as
// the other tests expect it afterwards).

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

test('columns are mapped by hand, the apply is followed to its end and undone, accessibly', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'kommune');
    await openImports(page);
    const csv = 'Nr;Navn1;Navn2;Sted\r\n880101;Åsne;Ødegård;OPP-S01\r\n';
    const file = { name: 'uvanlige-kolonner.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') };
    await upload(page, file.name, file.mimeType, file.buffer);
    assert.match(await page.textContent('[role="alert"]'), /En påkrevd kolonne mangler i filen\./);
    assert.ok(await page.isVisible('select#map_employee_number'), 'the mapping editor is offered');
    await expectAccessible(page, 'the upload page with the mapping editor');

    await page.selectOption('#map_employee_number', 'Nr');
    await page.selectOption('#map_given_name', 'Navn1');
    await page.selectOption('#map_family_name', 'Navn2');
    await page.selectOption('#map_unit_code', 'Sted');
    await upload(page, file.name, file.mimeType, file.buffer);
    assert.match(pathOf(page), /^\/imports\/\d+$/, 'the mapped file is previewed');
    assert.match(await page.textContent('main'), /Åsne Ødegård/);
    const importPath = pathOf(page);

    // Applying sends the coordinator to the status page; it is checked without its automatic reload so that
    // the page does not change under axe.
    await Promise.all([page.waitForURL(/\/status$/), page.click('button:text-is("Gjennomfør importen")')]);
    await page.goto(`${importPath}/status?auto=0`);
    await expectAccessible(page, 'the import status page');
    let text = '';
    for (let i = 0; i < 60 && !/Importen er gjennomført\./.test(text); i++) {
      if (i > 0) await page.waitForTimeout(500);
      await page.goto(`${importPath}/status?auto=0`);
      text = await page.textContent('main');
    }
    assert.match(text, /Importen er gjennomført\./);
    await expectAccessible(page, 'the status page of a finished import');

    await page.goto(importPath);
    await Promise.all([page.waitForURL(/\/undo$/), page.click('a:text-is("Angre importen")')]);
    await expectAccessible(page, 'the undo confirmation');
    await Promise.all([page.waitForURL(/\/imports\/\d+$/), page.click('button:text-is("Ja, angre importen")')]);
    assert.match(await page.textContent('main'), /Angret/);
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
