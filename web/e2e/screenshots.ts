/**
 * Opens each page as a role in Debian's chromium and saves a screenshot, printing any console error
 * or failed request. Against a running platform that serves the built app:
 *   npm run build:web && PORT=4710 npm start -- --in-memory   (and npm run seed:demo)
 *   BASE_URL=http://localhost:4710 OUT=/tmp/shots npx tsx web/e2e/screenshots.ts
 * ONLY=<part of a name> visits the pages whose name holds it; SHARD=<k>/<n> every n-th page from the k-th
 * (the browser tests split the pages over two files); SCREENSHOTS=none checks the pages without pictures.
 * Ends with "<visited> of <all> pages, no console errors" (or how many there were).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launchChromium } from './chromium.js';

const base = process.env.BASE_URL ?? 'http://localhost:4000';
const out = process.env.OUT ?? 'web/e2e/out';
const only = process.env.ONLY;
const shardMatch = /^(\d+)\/(\d+)$/.exec(process.env.SHARD ?? '1/1');
const [shard, shards] = [Number(shardMatch?.[1]), Number(shardMatch?.[2])];
if (!shardMatch || shard < 1 || shard > shards) throw new Error(`SHARD must be <k>/<n> with 1 ≤ k ≤ n, not ${process.env.SHARD}`);
const pictures = process.env.SCREENSHOTS !== 'none';
if (pictures) mkdirSync(out, { recursive: true });
// axe-core runs in each page: a serious or critical violation counts as a problem.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// `open`: the disclosures (by their summary's text) to open before the picture, to show a form.
const visits: { name: string; path: string; as: string; locale?: 'en'; open?: string[] }[] = [
  { name: 'plan-coordinator', path: '/', as: 'coordinator' },
  { name: 'plan-viewer-en', path: '/', as: 'viewer', locale: 'en' },
  { name: 'measure-coordinator', path: '/measures/demo-measure-goal-1', as: 'coordinator' },
  { name: 'plan-demo-viewer', path: '/?plan=demo', as: 'viewer' },
  { name: 'plan-demo-coordinator', path: '/?plan=demo', as: 'coordinator' },
  { name: 'measure-seed-funder', path: '/measures/hp-2011-2014-kom', as: 'funder' },
  { name: 'measure-seed-nav', path: '/measures/hp-2011-2014-nav-kontor', as: 'agency:nav' },
  { name: 'measure-demo-viewer-en', path: '/measures/demo-measure-goal-2', as: 'viewer', locale: 'en' },
  { name: 'agency-nav', path: '/agencies/nav', as: 'agency:nav' },
  { name: 'duties-coordinator', path: '/duties?period=2012', as: 'coordinator', open: ['Endre rapporteringsplanen'] },
  { name: 'duties-overdue-coordinator-en', path: '/duties?period=2012&status=OVERDUE', as: 'coordinator', locale: 'en' },
  { name: 'duties-nav', path: '/duties', as: 'agency:nav' },
  { name: 'duties-demo-viewer', path: '/duties?plan=demo', as: 'viewer' },
  { name: 'measure-results-nav', path: '/measures/hp-2011-2014-nav-kontor', as: 'agency:nav', open: ['Ny milepæl'] },
  { name: 'shelters-operator', path: '/shelters', as: 'agency:demo-krisesenter-vest' },
  { name: 'capacity-funder', path: '/capacity?by=MONTH&from=2013-01-01&to=2014-03-31', as: 'funder' },
  {
    name: 'capacity-county-operator',
    path: '/capacity?by=MONTH&from=2013-01-01&to=2013-12-31&county=Hordaland',
    as: 'agency:demo-krisesenter-vest',
  },
  { name: 'capacity-county-viewer-en', path: '/capacity?by=QUARTER&county=Rogaland', as: 'viewer', locale: 'en' },
  { name: 'funding-funder', path: '/funding?plan=demo', as: 'funder' },
  { name: 'funding-coordinator', path: '/funding?plan=demo&by=AGENCY&year=2013', as: 'coordinator' },
  { name: 'funding-drill-line-funder', path: '/funding?plan=demo&by=BUDGET_LINE&drill=demo-line-3&rows=BUDGET_LINE', as: 'funder' },
  { name: 'funding-drill-goal-holder', path: '/funding?plan=demo&by=GOAL&drill=1&rows=AGENCY', as: 'agency:demo-departement-a' },
  { name: 'funding-drill-year-viewer-en', path: '/funding?plan=demo&by=FISCAL_YEAR&drill=2013', as: 'viewer', locale: 'en' },
  { name: 'budget-line-holder', path: '/budget-lines/demo-line-3?year=2013', as: 'agency:demo-departement-a' },
  { name: 'budget-line-funder-en', path: '/budget-lines/demo-line-3?year=2013', as: 'funder', locale: 'en' },
  { name: 'budget-line-without-year-coordinator', path: '/budget-lines/demo-line-7', as: 'coordinator' },
  { name: 'audit-coordinator', path: '/audit/demo-measure-goal-1', as: 'coordinator' },
  { name: 'sign-in', path: '/', as: '' },
];

const browser = await launchChromium();
let problems = 0;
/**
 * Pages are visited a few at a time, each in a context of its own: most of a visit is waiting (for the
 * network to go quiet, for the layout to settle), so two cores serve three visits at once. Each visit's
 * lines are printed together when it ends.
 */
const concurrency = Math.max(1, Number(process.env.CONCURRENCY ?? 3));

async function visitPage(visit: (typeof visits)[number]): Promise<void> {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  // axe is injected as an inline script, which the app's strict CSP (rightly) refuses.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  if (visit.locale) await context.addInitScript(() => localStorage.setItem('samordning.locale', 'en'));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') {
      problems++;
      log(`  [${visit.name}] console.${m.type()}: ${m.text()}`);
    }
  });
  page.on('requestfailed', (r) => log(`  [${visit.name}] failed: ${r.url()}`));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['localhost', '127.0.0.1'].includes(url.hostname) && url.protocol !== 'data:') log(`  [${visit.name}] off loopback: ${r.url()}`);
  });
  const sep = visit.path.includes('?') ? '&' : '?';
  await page.goto(`${base}${visit.path}${visit.as ? `${sep}as=${visit.as}` : ''}`);
  await page.waitForLoadState('networkidle');
  for (const summary of visit.open ?? []) {
    await page.getByText(summary, { exact: true }).first().click();
    await page.waitForLoadState('networkidle');
  }
  await page.waitForTimeout(600);
  if (pictures) await page.screenshot({ path: `${out}/${visit.name}.png`, fullPage: true });
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
          ) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  for (const v of violations) {
    if (v.impact === 'serious' || v.impact === 'critical') problems++;
    log(`  [${visit.name}] axe ${v.impact}: ${v.id} — ${v.help} (${v.targets.join(', ')})`);
  }
  log(`${visit.name}: ${page.url()} — ${await page.title()}`);
  await context.close();
  for (const line of lines) console.log(line);
}

const queue = visits.filter((v, i) => (!only || v.name.includes(only)) && i % shards === shard - 1);
const visited = queue.length;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let visit = queue.shift(); visit; visit = queue.shift()) await visitPage(visit);
  }),
);
await browser.close();
console.log(`${visited} of ${visits.length} pages, ${problems === 0 ? 'no console errors' : `${problems} console errors or warnings`}`);
