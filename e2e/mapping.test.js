'use strict';
// Competence mapping as people meet it: an employee answers the open demo round on a phone-sized screen,
// saves half-way and submits, and sees their profile; a regional coordinator reads a report and a framework.
// Every page passes axe.

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

test('an employee answers the open round, saves, submits and sees their profile, accessibly', async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, 'ansatt');
    await page.goto('/mapping');
    await expectAccessible(page, 'the mapping list');
    await Promise.all([page.waitForNavigation(), page.click('main a:text-is("Svar nå")')]);
    assert.match(pathOf(page), /^\/mapping\/\d+\/answer$/);
    await expectAccessible(page, 'the questionnaire');
    const questions = await page.$$('fieldset.question');
    assert.ok(questions.length >= 20, `the questionnaire asks every competence (${questions.length})`);

    // The first answer by keyboard: focus the first level, move with the arrow keys (radio group behaviour).
    await page.focus('fieldset.question >> nth=0 >> input[type="radio"] >> nth=0');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForNavigation(), page.click('button[value="save"]')]);
    assert.match(await page.textContent('[role="status"]'), /Svarene er lagret/);
    assert.equal(await page.isChecked('fieldset.question >> nth=0 >> input[value="3"]'), true, 'the saved choice is kept');

    // Submitting with questions open says what to do, and keeps the choice.
    await Promise.all([page.waitForNavigation(), page.click('button[value="submit"]')]);
    assert.match(await page.textContent('[role="alert"]'), /Svar på alle spørsmålene/);
    await expectAccessible(page, 'the questionnaire with an error');

    // Answer the rest: "not relevant" for every other question, then submit.
    for (const q of (await page.$$('fieldset.question')).slice(1)) {
      await (await q.$('input[value="na"]')).check();
    }
    // The knowledge checks under the first competence (1.1): the first option of each, one of two right.
    const checks = await page.$$('fieldset.question >> nth=0 >> fieldset.check');
    assert.equal(checks.length, 2, 'two knowledge checks about 1.1 in the demo round');
    for (const c of checks) {
      await (await c.$('input[value="0"]')).check();
    }
    await Promise.all([page.waitForNavigation(), page.click('button[value="submit"]')]);
    assert.match(await page.textContent('h1'), /Din kompetanseprofil/);
    assert.match(await page.textContent('main table'), /3 \/ 8/);
    assert.match(await page.textContent('main table'), /Testet nivå[\s\S]*4 \/ 8/, 'the tested level beside the own');
    await expectAccessible(page, 'the own profile');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390 + 1, `the profile does not scroll sideways on a phone (${width}px)`);
  } finally {
    await context.close();
  }
});

test('a regional coordinator reads the 2014 report and a framework, accessibly', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'region');
    await page.goto('/mapping');
    const row = page.locator('main table tr', { hasText: 'Kartlegging 2014' });
    // The first request releases and computes the two closed demo rounds' reports (over time; 2026 is still
    // open) in a debug build: 6–11 s on a loaded 2-core machine before the anonymity rule's linear-programme
    // audit, 14 s unloaded after it (measured 2026-12-06); its speed is a benchmark's business (BENCHMARKS.md),
    // not this test's.
    await Promise.all([
      page.waitForNavigation({ timeout: 120_000 }),
      row.locator('a:text-is("Se rapporten")').click({ timeout: 120_000 }),
    ]);
    assert.match(await page.textContent('h1'), /Rapport: Kongsbergregionen/);
    const overview = await page.textContent('main');
    assert.match(overview, /Oversikt per kompetanse/);
    assert.match(overview, /Tall vises bare for grupper med minst 5 svar/);
    assert.match(overview, /Over tid[\s\S]*Kartlegging 2014[\s\S]*Kartlegging 2016/, 'the rounds are compared oldest first');
    assert.match(overview, /Selvvurdert og testet nivå/, 'tested levels beside the self-assessed ones');
    await expectAccessible(page, 'the region report');
    // The print-ready report for the committee.
    const reportUrl = pathOf(page);
    await Promise.all([page.waitForNavigation(), page.click('main a:text-is("Utskriftsvennlig rapport")')]);
    assert.match(await page.textContent('main'), /Laget [\s\S]*Tall vises bare for grupper med minst 5 svar/);
    await expectAccessible(page, 'the print-ready report');
    await page.goto(reportUrl);
    // Down to a municipality through the unit table.
    await Promise.all([page.waitForNavigation(), page.click('main a:text-is("Notodden")')]);
    assert.match(await page.textContent('h1'), /Rapport: Notodden/);
    await expectAccessible(page, 'a municipality report');

    // The round form with units and knowledge checks, and the open round's response rates.
    await page.goto('/mapping/new');
    assert.match(await page.textContent('main'), /Kunnskapssjekk/);
    await expectAccessible(page, 'the new round form');
    await page.goto('/mapping');
    const open = page.locator('main table tr', { hasText: 'Kartlegging 2026' });
    await Promise.all([page.waitForNavigation(), open.locator('a:text-is("Kartlegging 2026")').click()]);
    assert.match(await page.textContent('main'), /Svarprosent per enhet/);
    assert.match(await page.textContent('main'), /Resultater fra/, 'figures only once the round has closed');
    await expectAccessible(page, 'the round with response rates');

    await page.goto('/competence');
    await Promise.all([page.waitForNavigation(), page.click('main a:has-text("DigComp 2.2")')]);
    assert.match(await page.textContent('main'), /Beskytte personopplysninger og personvern/);
    await expectAccessible(page, 'the DigComp framework');
    // Target editing and framework import.
    await Promise.all([page.waitForNavigation(), page.click('main a:text-is("Endre målnivåene")')]);
    assert.match(await page.textContent('h1'), /Målnivå/);
    await expectAccessible(page, 'the target editor');
    await page.goto('/competence/import');
    assert.match(await page.textContent('h1'), /Importer et rammeverk/);
    await expectAccessible(page, 'the framework import');
  } finally {
    await context.close();
  }
});
