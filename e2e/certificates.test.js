'use strict';
// Course certificates: an organiser marks a participant present on every day of a SAMTEK session, downloads the
// kursbevis from the participant list, and anyone verifies its code on the public page (valid, altered). The
// marks are set back to absent at the end, so the invoicing basis counts the demo as before (absent and unmarked
// are both a no-show). Every page is checked with axe.

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

/** Marks the first participant of every day's list present ('1') or absent ('0'). */
async function markFirstParticipant(page, attendance, value) {
  await page.goto(attendance);
  const forms = page.locator('main form[action$="/attendance"]');
  const days = await forms.count();
  assert.ok(days > 0, 'the session has a list to mark');
  for (let i = 0; i < days; i += 1) {
    await forms.nth(i).locator(`input[value="${value}"]`).first().check();
    await Promise.all([page.waitForNavigation(), forms.nth(i).locator('button[type="submit"]').click()]);
    assert.match(await page.textContent('[role="status"]'), /Oppmøtet er lagret\./);
  }
}

test('an organiser downloads a certificate and anyone verifies its code, accessibly', async () => {
  const { context, page } = await newPage(browser);
  let attendance;
  try {
    await login(page, 'kurs');
    await page.goto('/courses?q=samtek');
    await Promise.all([page.waitForNavigation(), page.click('main a:has-text("SAMTEK")')]);
    attendance = await page.locator('main a:text-is("Oppmøte")').first().getAttribute('href');
    const participants = await page.locator('main a:text-is("Deltakerliste")').first().getAttribute('href');
    await markFirstParticipant(page, attendance, '1');

    await page.goto(participants);
    const link = page.locator('main a[href$="/certificate.pdf"]');
    assert.equal(await link.count(), 1, 'one completed participant, one certificate link');
    await expectAccessible(page, 'the participant list with a certificate link');
    const pdf = await page.request.get(await link.getAttribute('href'));
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const bytes = await pdf.body();
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const found = bytes.toString('latin1').match(/\/verify\/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/);
    assert.ok(found, 'the PDF links to its verification page');
    const code = found[1];

    // Anyone, not logged in: the form, the valid certificate, an altered code.
    const visitor = await newPage(browser);
    try {
      const v = visitor.page;
      await v.goto('/verify');
      assert.match(await v.textContent('h1'), /Kontroller et kursbevis/);
      await expectAccessible(v, 'the verification form');
      await v.fill('#code', code.toLowerCase().replace(/-/g, ' '));
      await Promise.all([
        v.waitForURL((url) => url.pathname === `/verify/${code}`),
        v.click('main form button[type="submit"]'),
      ]);
      assert.match(await v.textContent('main'), /Gyldig/);
      assert.match(await v.textContent('main'), /SAMTEK/);
      await expectAccessible(v, 'a valid certificate');
      const altered = code.slice(0, -1) + (code.endsWith('Z') ? 'Y' : 'Z');
      const response = await v.goto(`/verify/${altered}`);
      assert.equal(response.status(), 404);
      assert.match(await v.textContent('[role="alert"]'), /Vi fant ikke noe kursbevis med koden/);
      assert.equal(pathOf(v), `/verify/${altered}`);
      await expectAccessible(v, 'an unknown certificate code');
    } finally {
      await visitor.context.close();
    }
  } finally {
    if (attendance) {
      await markFirstParticipant(page, attendance, '0');
    }
    await context.close();
  }
});
