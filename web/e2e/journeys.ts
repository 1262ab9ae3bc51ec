/**
 * Each role's journeys in Debian's chromium against a running platform (the built app, or the dev
 * server for React's and Apollo's development warnings):
 *   BASE_URL=http://localhost:4710 npx tsx web/e2e/journeys.ts
 * Fails on a console error or warning (Apollo's "Cache data may be lost" included) and on any
 * request that leaves loopback.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';

const base = process.env.BASE_URL ?? 'http://localhost:4000';
const problems: string[] = [];
/** Pages still open, to show what they held when a step fails. */
const pages = new Set<Page>();
const stamp = Date.now().toString(36);

async function open(browser: Browser, as: string, path: string, options: { expect401?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  pages.add(page);
  page.on('close', () => pages.delete(page));
  page.on('console', (m) => {
    // The browser logs the 401 that a journey provokes on purpose; the app itself logs nothing.
    if (options.expect401 && /status of 401/.test(m.text())) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${as} ${path}: console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${as} ${path}: ${e.message}`));
  page.on('request', (r) => {
    const host = new URL(r.url()).hostname;
    if (!['localhost', '127.0.0.1'].includes(host) && !r.url().startsWith('data:')) problems.push(`off loopback: ${r.url()}`);
  });
  await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}as=${as}`);
  await page.locator('main h1').first().waitFor();
  // The page shows what the cache holds, then what the network answers: a journey starts typing once
  // both are in, as a person would after the page settles (on a cold server the answer can come late).
  await page.waitForLoadState('networkidle');
  assert.ok(!page.url().includes('as='), 'the deep link leaves the address');
  return page;
}

/**
 * Opens a disclosure and waits for its opening animation to end, as a person does before reaching for
 * the button inside: while the content grows, the button moves under the pointer, and a click aimed
 * at it lands on the form around it.
 */
async function expand(page: Page, summary: string) {
  await page.locator('summary', { hasText: summary }).click();
  await settled(page);
}

/**
 * Waits until the page holds still: no CSS or Web Animation running, and the size of every disclosure and of
 * the document unchanged over ten frames (Designsystemet's disclosure grows by script, which no Animation shows).
 * A string, not a function: the browser runs it as written, without the helpers a TypeScript build adds.
 */
async function settled(page: Page) {
  await page.evaluate(`new Promise((resolve) => {
    let last = '';
    let still = 0;
    const tick = () => {
      const running = document.getAnimations().some((a) => a.playState === 'running');
      const now = [...document.querySelectorAll('details, u-details')].map((d) => d.getBoundingClientRect().height).join(',') + '|' + document.documentElement.scrollHeight;
      still = !running && now === last ? still + 1 : 0;
      last = now;
      if (still >= 10) resolve(undefined);
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`);
}

async function step(name: string, run: () => Promise<void>) {
  const started = Date.now();
  try {
    await run();
  } catch (error) {
    const dir = mkdtempSync(join(tmpdir(), 'journey-'));
    for (const [i, page] of [...pages].entries()) {
      const file = join(dir, `page-${i}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.log(`failed in ${name}: ${page.url()} (screenshot ${file})`);
    }
    console.log(problems.join('\n'));
    throw error;
  }
  console.log(`ok  ${name} (${Date.now() - started} ms)`);
}

const browser = await launchChromium();
const title = `Testtiltak ${stamp}`;
let measurePath = '';
try {
  await step('coordinator creates a measure and assigns a LEAD', async () => {
    const page = await open(browser, 'coordinator', '/');
    await expand(page, 'Nytt tiltak');
    await page.getByLabel('Tittel').fill(title);
    await page.getByRole('button', { name: 'Nytt tiltak' }).last().click();
    await page.getByRole('link', { name: `Tiltaket «${title}» er opprettet.` }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    measurePath = new URL(page.url()).pathname;
    await expand(page, 'Tildel ansvar');
    await page.getByLabel('Virksomhet').selectOption('nav');
    await page.getByLabel('Rolle').selectOption('LEAD');
    await page.getByRole('button', { name: 'Tildel ansvar' }).click();
    await page.getByText('Arbeids- og velferdsdirektoratet har fått hovedansvar.').waitFor();
    await page.getByRole('cell', { name: 'Hovedansvar' }).waitFor();
    // The form follows the measure until the user types: the LEAD just assigned moved its version.
    await page.getByLabel('Tittel').last().fill(`${title} (endret)`);
    await page.getByRole('button', { name: 'Lagre' }).click();
    await page.getByText(/Tiltaket er oppdatert/).waitFor();
    // Someone else saves while this user types: CONFLICT, then "load the latest and keep my changes".
    await page.getByLabel('Tittel').last().fill(`${title} (endret igjen)`);
    const other = await open(browser, 'coordinator', measurePath);
    await expand(other, 'Tildel ansvar');
    await other.getByLabel('Virksomhet').selectOption('jd');
    await other.getByRole('button', { name: 'Tildel ansvar' }).click();
    await other.getByText(/har fått delansvar/).waitFor();
    await other.close();
    await page.getByRole('button', { name: 'Lagre' }).click();
    await page.getByRole('button', { name: 'Hent siste versjon og behold endringene mine' }).click();
    await page.getByText(/Endringene dine er beholdt/).waitFor();
    assert.equal(await page.getByLabel('Tittel').last().inputValue(), `${title} (endret igjen)`);
    await page.getByRole('button', { name: 'Lagre' }).click();
    await page.getByText(/Tiltaket er oppdatert \(versjon 5\)/).waitFor();
    await page.close();
  });

  await step('the agency submits a report (with a client-side check first)', async () => {
    const page = await open(browser, 'agency:nav', measurePath);
    await expand(page, 'Send statusrapport');
    await page.getByLabel('Periode').fill('2015');
    await page.getByRole('button', { name: 'Send statusrapport' }).click();
    await page.getByText('Perioden må ligge innenfor 2011–2014.').waitFor();
    await page.getByLabel('Periode').fill('2013-H2');
    // The measure has no report yet: the first one says what its status is.
    await page.getByLabel('Status', { exact: true }).selectOption('IN_PROGRESS');
    await page.getByLabel(/Framdrift i prosent/).fill('40');
    await page.getByLabel('Hva er gjort').fill('Kartlagt behov i alle fylker.');
    await page.getByRole('button', { name: 'Send statusrapport' }).click();
    await page.getByText('Rapporten for 2. halvår 2013 er sendt.').waitFor();
    await page.getByRole('cell', { name: 'Kartlagt behov i alle fylker.' }).waitFor();
    await page.close();
  });

  await step('an expired session signs in again without losing what was typed', async () => {
    const page = await open(browser, 'agency:nav', measurePath, { expect401: true });
    await expand(page, 'Send statusrapport');
    await page.getByLabel('Hva er gjort').fill('Skrevet før økten gikk ut.');
    // The token the tab keeps is no longer accepted (as after expiry or a key rotation); the page reloads.
    await page.evaluate(() => {
      const stored = JSON.parse(sessionStorage.getItem('samordning.localToken') ?? '{}');
      sessionStorage.setItem('samordning.localToken', JSON.stringify({ ...stored, token: 'expired.token.value' }));
    });
    await page.reload();
    await page.getByText('Økten var utløpt og er fornyet. Det du hadde skrevet, er tatt vare på.').waitFor();
    await expand(page, 'Send statusrapport');
    assert.equal(await page.getByLabel('Hva er gjort').inputValue(), 'Skrevet før økten gikk ut.');
    await page.close();
  });

  await step('an operator registers a shelter and reports capacity', async () => {
    const page = await open(browser, 'agency:demo-krisesenter-vest', '/shelters');
    await expand(page, 'Registrer botilbud');
    await page.getByLabel('Navn').fill(`[Demo] Testhuset ${stamp}`);
    await page.getByLabel('Fylke', { exact: true }).last().selectOption('Hordaland');
    await page.getByLabel('Kvinner').first().check();
    await page.getByLabel('Trygt botilbud').first().check();
    await page.getByRole('button', { name: 'Registrer botilbud' }).click();
    await page.getByText(`Botilbudet «[Demo] Testhuset ${stamp}» er registrert.`).waitFor();
    const card = page.locator('li', { hasText: `[Demo] Testhuset ${stamp}` });
    await card.getByRole('button', { name: 'Administrer' }).click();
    await settled(page);
    await card.getByLabel('Kapasitet (plasser)').fill('8');
    await card.getByLabel('Belegg (plasser i bruk)').fill('9');
    await card.getByRole('button', { name: 'Rapporter kapasitet' }).click();
    await card.getByText('Belegget kan ikke være større enn kapasiteten.').waitFor();
    await card.getByLabel('Belegg (plasser i bruk)').fill('6');
    await card.getByRole('button', { name: 'Rapporter kapasitet' }).click();
    await card.getByText(/Kapasitet for .* er rapportert\./).waitFor();
    await page.close();
  });

  await step('a funder reads the charts', async () => {
    const page = await open(browser, 'funder', '/capacity?by=MONTH&from=2013-01-01&to=2014-03-31&plan=demo');
    await page.locator('.chart[role=img] svg').first().waitFor();
    await page.getByText(/perioder har skjermet belegg/).waitFor();
    await page.getByRole('link', { name: 'Finansiering' }).click();
    await page.locator('.chart[role=img] svg').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Tildel midler' }).count(), 0, 'a funder is offered no writes');
    await page.close();
  });

  await step('a holder allocates (double click writes once) and disburses against the allocation picked from the list', async () => {
    const page = await open(browser, 'agency:demo-departement-a', '/funding?year=2013&plan=demo');
    const row = page.getByRole('row').filter({ hasText: '[Demo] Departement A' }).first();
    const before = (await row.locator('td').nth(4).textContent()) ?? '';
    await row.getByRole('button').click();
    await settled(page);
    const form = page.getByRole('region', { name: /Tildel fra/ });
    await form.getByLabel('Beløp (kr)').fill('1 000,50');
    await form.getByLabel('Mottaker').selectOption('demo-krisesenter-vest');
    await form.getByRole('button', { name: 'Tildel midler' }).dblclick();
    await page.getByText(/er tildelt \(tildeling/).waitFor();
    await page.waitForLoadState('networkidle');
    const after = (await row.locator('td').nth(4).textContent()) ?? '';
    const toOre = (s: string) => Number(s.replace(/[^\d,]/g, '').replace(',', '.')) * 100;
    assert.equal(Math.round(toOre(after) - toOre(before)), 100050, `allocated once: ${before} → ${after}`);
    // The allocation just made is picked from the line's list, its payment form open.
    await expand(page, 'Registrer utbetaling');
    await page.getByText(/^Utbetaling fra 9000\/\d+ → .*1\s000,50\s*kr\)\. Ikke utbetalt ennå/).waitFor();
    await page.getByLabel('Utbetalingsdato').fill('2013-06-01');
    await page.getByLabel('Beløp (kr)').last().fill('500');
    await page.getByRole('button', { name: 'Registrer utbetaling' }).click();
    await page.getByText(/er utbetalt fra tildeling/).waitFor();
    await page.close();
  });
} finally {
  await browser.close();
}
if (problems.length > 0) {
  console.log(problems.join('\n'));
  process.exit(1);
}
console.log('every journey passed; no console error, no request off loopback');
