'use strict';
// The course catalogue as an employee meets it: searching with a Norwegian word form, a course page, enrolling,
// joining a full session's waiting list and seeing the place, leaving it and cancelling again (so the demo data
// is as the other tests expect it afterwards); and an organiser's form with an error; a course with an answer
// time whose freed seat is offered to the first waiting, who accepts it. Every page is checked with axe.

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

test('an employee searches the catalogue, enrols, waits in line and cancels, accessibly', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'ansatt');
    await page.goto('/courses');
    assert.match(await page.textContent('h1'), /Kurs og arrangementer/);
    await expectAccessible(page, 'the catalogue');

    // A word form: "konferanser" finds the course whose description begins "Konferansen …".
    await page.fill('#q', 'konferanser');
    await Promise.all([page.waitForNavigation(), page.click('form.filters button[type="submit"]')]);
    assert.match(await page.textContent('main'), /Informasjonssikkerhet i kommunene/);
    await expectAccessible(page, 'the catalogue with a search');

    // A session with free seats: enrol.
    await page.goto('/courses?q=barnehagen');
    await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Personvern i barnehagen")')]);
    assert.match(pathOf(page), /^\/courses\/\d+$/, 'a course has a stable address');
    assert.doesNotMatch(await page.textContent('main'), /moter\.kongsbergregionen\.no/, 'no link before enrolling');
    await expectAccessible(page, 'a course page');
    await Promise.all([page.waitForNavigation(), page.click('button:text-is("Meld på")')]);
    assert.match(await page.textContent('[role="status"]'), /Påmeldingen er registrert\. Du har plass\./);
    assert.match(await page.textContent('main'), /moter\.kongsbergregionen\.no/, 'the online link once enrolled');
    await expectAccessible(page, 'the course page after enrolling');
    await Promise.all([page.waitForNavigation(), page.click('button:text-is("Meld meg av")')]);
    assert.match(await page.textContent('[role="status"]'), /Påmeldingen er avmeldt\./);

    // A full session: the waiting list with the place in it.
    await page.goto('/courses?q=samtek');
    await Promise.all([page.waitForNavigation(), page.click('main a:has-text("SAMTEK")')]);
    await Promise.all([page.waitForNavigation(), page.click('button:text-is("Sett meg på venteliste") >> nth=0')]);
    assert.match(await page.textContent('[role="status"]'), /du er nummer 5 av 5/);
    await expectAccessible(page, 'the course page on the waiting list');
    await Promise.all([page.waitForNavigation(), page.click('button:text-is("Gå av ventelisten")')]);
    assert.match(await page.textContent('[role="status"]'), /Du har gått av ventelisten\./);
  } finally {
    await context.close();
  }
});

test('an organiser is told what to fix in the course form and marks attendance, accessibly', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'kurs');
    await page.goto('/courses/new');
    await expectAccessible(page, 'the new course form');
    await page.fill('#price_internal', 'tolv kroner');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    const summary = await page.textContent('[role="alert"]');
    assert.match(summary, /Tittel: Feltet må fylles ut\./);
    assert.match(summary, /Skriv beløpet i kroner/);
    await expectAccessible(page, 'the course form with errors');

    // The attendance list of a full session, as used on a tablet at the door.
    await page.goto('/courses?q=samtek');
    await Promise.all([page.waitForNavigation(), page.click('main a:has-text("SAMTEK")')]);
    await Promise.all([page.waitForNavigation(), page.click('main a:text-is("Oppmøte") >> nth=0')]);
    assert.match(await page.textContent('h1'), /Oppmøte/);
    await expectAccessible(page, 'the attendance list');
    await page.check('main form input[value="1"] >> nth=0');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"] >> nth=0')]);
    assert.match(await page.textContent('[role="status"]'), /Oppmøtet er lagret\./);
    await expectAccessible(page, 'the attendance list after saving');

    // The course's evaluations: a table with the hidden groups said in words.
    await page.goto('/courses?q=samtek');
    await Promise.all([page.waitForNavigation(), page.click('main a:has-text("SAMTEK")')]);
    await Promise.all([page.waitForNavigation(), page.click('main a:text-is("Se evalueringene")')]);
    assert.match(await page.textContent('h1'), /Evalueringer/);
    await expectAccessible(page, 'the evaluation results');
  } finally {
    await context.close();
  }
});

test('the invoicing basis is readable for the region and for a municipal coordinator, accessibly', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'region');
    await page.goto('/courses/invoicing?from=2026-01-01&to=2027-12-31');
    assert.match(await page.textContent('h1'), /Fakturagrunnlag for kurs/);
    assert.equal(await page.locator('#municipality').count(), 1, 'the region chooses among municipalities');
    await expectAccessible(page, 'the invoicing basis');
    await page.goto('/courses/reports?from=2026-01-01&to=2027-12-31');
    assert.match(await page.textContent('h1'), /Kursdeltakelse/);
    await expectAccessible(page, 'the participation report');
    // One municipality's units.
    await page.selectOption('#municipality', { label: 'Kongsberg' });
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    assert.match(await page.textContent('main'), /Deltakere per enhet/);
    assert.doesNotMatch(await page.textContent('main'), /Velg en kommune for å se tallene per enhet/);
    await expectAccessible(page, "the participation report with a municipality's units");
  } finally {
    await context.close();
  }
  const second = await newPage(browser);
  try {
    await login(second.page, 'kommune');
    await second.page.goto('/courses/invoicing?from=2026-01-01&to=2027-12-31');
    assert.match(await second.page.textContent('h1'), /Fakturagrunnlag for kurs/);
    assert.equal(await second.page.locator('#municipality').count(), 0, 'a coordinator sees their own only');
    await expectAccessible(second.page, "a municipality's invoicing basis");
  } finally {
    await second.context.close();
  }
});

test('a request for a course that needs approval reaches the manager, who declines it, accessibly', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'ansatt');
    await page.goto('/courses?q=ekommune');
    await Promise.all([page.waitForNavigation(), page.click('main a:has-text("eKommune")')]);
    assert.match(await page.textContent('main'), /Lederen din må godkjenne påmeldingen\./);
    await Promise.all([page.waitForNavigation(), page.click('button:text-is("Be om plass") >> nth=0')]);
    assert.match(await page.textContent('[role="status"]'), /venter på godkjenning/);
    await expectAccessible(page, 'the course page with a request waiting');
  } finally {
    await context.close();
  }
  const manager = await newPage(browser);
  try {
    await login(manager.page, 'leder');
    await manager.page.goto('/courses/approvals');
    assert.match(await manager.page.textContent('h1'), /Forespørsler som venter på godkjenning/);
    await expectAccessible(manager.page, 'the approvals page');
    await Promise.all([manager.page.waitForNavigation(), manager.page.click('button:text-is("Avslå") >> nth=0')]);
    assert.match(await manager.page.textContent('[role="status"]'), /er avslått/);
    await expectAccessible(manager.page, 'the approvals page after a decision');
  } finally {
    await manager.context.close();
  }
});

/** `YYYY-MM-DDTHH:MM` for a datetime-local field, `days` from now (whole days, so the time zone does not matter). */
function localInput(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
}

test('a freed seat is offered to the first waiting, who accepts it on the course page, accessibly', async () => {
  const organiser = await newPage(browser);
  let coursePath;
  try {
    const { page } = organiser;
    await login(page, 'kurs');
    await page.goto('/courses/new');
    await page.fill('#title', 'Hjertestarter på arbeidsplassen');
    await page.fill('#summary', 'Øvelse i førstehjelp og bruk av hjertestarter');
    await page.check('#ok-region');
    await page.fill('#offer_hours', '48');
    await expectAccessible(page, 'the course form with an answer time');
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    coursePath = pathOf(page);
    assert.match(coursePath, /^\/courses\/\d+$/, 'the new course page');
    await page.goto(`${coursePath}/sessions/new`);
    await page.fill('#days', `${localInput(30).slice(0, 10)} 09:00-15:00`);
    await page.fill('#capacity', '1');
    await page.fill('#enrolment_opens', localInput(-1));
    await page.fill('#enrolment_closes', localInput(20));
    await page.fill('#cancellation_deadline', localInput(10));
    await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
    assert.equal(pathOf(page), coursePath, `the session is saved: ${await page.textContent('main')}`);
  } finally {
    await organiser.context.close();
  }
  const manager = await newPage(browser);
  const employee = await newPage(browser);
  try {
    await login(manager.page, 'leder');
    await manager.page.goto(coursePath);
    await Promise.all([manager.page.waitForNavigation(), manager.page.click('button:text-is("Meld på")')]);
    assert.match(await manager.page.textContent('[role="status"]'), /Du har plass\./);
    await login(employee.page, 'ansatt');
    await employee.page.goto(coursePath);
    await Promise.all([employee.page.waitForNavigation(), employee.page.click('button:text-is("Sett meg på venteliste")')]);
    assert.match(await employee.page.textContent('[role="status"]'), /du er nummer 1 av 1/);
    // The manager cancels: the seat is held for the employee until the deadline, not given at once.
    await Promise.all([manager.page.waitForNavigation(), manager.page.click('button:text-is("Meld meg av")')]);
    await employee.page.goto(coursePath);
    assert.match(await employee.page.textContent('main'), /Du har fått tilbud om en ledig plass\. Svar innen/);
    await expectAccessible(employee.page, 'the course page with an offered seat');
    await Promise.all([employee.page.waitForNavigation(), employee.page.click('button:text-is("Takk ja til plassen")')]);
    assert.match(await employee.page.textContent('[role="status"]'), /Du har takket ja\. Du har plass\./);
    await expectAccessible(employee.page, 'the course page after accepting an offer');
  } finally {
    await manager.context.close();
    await employee.context.close();
  }
});

test('a manager reserves seats for their unit and gives them back, accessibly', async () => {
  const { context, page } = await newPage(browser);
  try {
    await login(page, 'leder');
    await page.goto('/courses?q=barnehagen');
    await Promise.all([page.waitForNavigation(), page.click('main a:has-text("Personvern i barnehagen")')]);
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Reserver plasser for en enhet") >> nth=0')]);
    assert.match(await page.textContent('h1'), /Reserverte plasser/);
    await expectAccessible(page, 'the reservations page');
    await page.fill('#seats', '1');
    await Promise.all([page.waitForNavigation(), page.click('button:text-is("Reserver")')]);
    assert.match(await page.textContent('[role="status"]'), /Reservasjonen er lagret: 1 plass uten navn\./);
    await expectAccessible(page, 'the reservations page with a reservation');
    // Give the seat back, so the demo data stays as the other tests expect it.
    await page.fill('table input[name="seats"] >> nth=0', '0');
    await Promise.all([page.waitForNavigation(), page.click('table button:text-is("Endre antall") >> nth=0')]);
    assert.match(await page.textContent('[role="status"]'), /Reservasjonen er lagret: 0 plasser uten navn\./);
  } finally {
    await context.close();
  }
});
