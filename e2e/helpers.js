'use strict';
// Shared helpers for the browser tests: one Chromium per test file, logging in
// and out through the real forms, and an axe check that every page must pass.

const assert = require('node:assert/strict');
const { chromium } = require('playwright-core');
const { AxeBuilder } = require('@axe-core/playwright');

const BASE_URL = (process.env.LOFT_BASE_URL || 'http://127.0.0.1:18080').replace(/\/$/, '');
const PASSWORD = 'demo';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The demo accounts seeded by `loft demo`. */
const USERS = ['admin', 'region', 'kommune', 'leder', 'ansatt', 'kurs', 'styring'];

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh context (own cookies) with base URL set; bokmål unless told otherwise. */
async function newPage(browser, options = {}) {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'nb-NO', ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/** Path of the page's current URL, e.g. "/login". */
function pathOf(page) {
  return new URL(page.url()).pathname;
}

/** Fills and submits the login form; resolves once the resulting page has loaded. */
async function submitLogin(page, username, password) {
  if (pathOf(page) !== '/login') {
    await page.goto('/login');
  }
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('form[action="/login"] button[type="submit"]'),
  ]);
}

async function login(page, username, password = PASSWORD) {
  await submitLogin(page, username, password);
  assert.equal(pathOf(page), '/', `${username} should land on the home page after login, got ${page.url()}`);
}

async function logout(page) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('form.logout-form button[type="submit"]'),
  ]);
  assert.equal(pathOf(page), '/login', `logout should end on /login, got ${page.url()}`);
  assert.equal(await page.locator('form.logout-form').count(), 0, 'no logout button after logout');
}

/** Picks a language in the header form and submits it. */
async function switchLanguage(page, lang) {
  await page.selectOption('#lang-select', lang);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click('form.lang-form button[type="submit"]'),
  ]);
  assert.equal(await page.getAttribute('html', 'lang'), lang, `html[lang] after switching to ${lang}`);
}

/** Follows a link by href and checks the page answered without an error status. */
async function visit(page, href) {
  const response = await page.goto(href);
  assert.ok(response, `no response for ${href}`);
  assert.ok(response.status() < 400, `${href} answered ${response.status()}`);
  return response;
}

/** Links in the header's main navigation, as [{ text, href }]. */
async function navLinks(page) {
  return page.$$eval('header nav[aria-label] a', (as) =>
    as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })),
  );
}

function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      target ${JSON.stringify(n.target)}\n      html   ${n.html}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
}

/** Runs axe (WCAG 2.1 A/AA) on the page; fails on any serious or critical violation. */
async function expectAccessible(page, label) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.ok(results.passes.length > 0, `axe ran no checks on ${label}`);
  assert.equal(
    bad.length,
    0,
    `axe found ${bad.length} serious/critical violation(s) on ${label} (${page.url()}):\n${describeViolations(bad)}`,
  );
  return results;
}

module.exports = {
  BASE_URL,
  PASSWORD,
  USERS,
  launch,
  newPage,
  pathOf,
  submitLogin,
  login,
  logout,
  switchLanguage,
  visit,
  navLinks,
  expectAccessible,
};
