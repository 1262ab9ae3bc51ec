import type { Bundle } from './bundle.js';
import type { OperationResult, SizeResult } from './results.js';
import { kib, median, ms, percentile, ratio, units } from './stats.js';
import { WEB_ENTRY_BUDGET_BYTES, type WebEntry } from './web.js';

/** docs/benchmarks.md, "The budgets": the GraphQL function against a minimal Apollo + DynamoDB handler, bundled alike. */
export const COLD_IMPORT_BUDGET = 1.1;
export const BUNDLE_BUDGET = 1.1;
/** PlanOverview's warm throughput through the handler, at least this share of plain graphql-js `execute`'s. */
export const WARM_THROUGHPUT_BUDGET = 0.95;

export interface HandlerFigures {
  readonly bundles: { readonly handler: Bundle; readonly baseline: Bundle; readonly exports: Bundle };
  readonly cold: { readonly handler: number[]; readonly baseline: number[] };
  readonly web: WebEntry;
}

export interface Budget {
  readonly name: string;
  readonly holds: boolean;
  /** Whether a broken budget makes the run fail (else it is only reported). */
  readonly enforced: boolean;
  readonly detail: string;
}

const count = (r: OperationResult) => r.commands.map((c) => c.length);
const span = (values: number[]) => {
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  return lo === hi ? String(lo) : `${lo}–${hi}`;
};

function pad(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const [head, ...body] = rows;
  return [line(head ?? []), rule, ...body.map(line)];
}

/** The one table: every operation at both sizes, then the whole-handler figures as rows of their own. */
export function table(small: SizeResult, large: SizeResult, figures: HandlerFigures): string {
  const rows: string[][] = [
    ['operation', 'requests 1× / 10×', 'RCU 1× / 10×', 'WCU 1× / 10×', 'p50 ms 1× / 10×', 'p50 10×/1×', 'p95 ms 1× / 10×', 'p95 10×/1×'],
  ];
  for (const a of small.operations) {
    const b = large.operations.find((o) => o.name === a.name);
    if (!b) throw new Error(`${a.name} is missing at ${large.factor}×`);
    const [p50a, p50b, p95a, p95b] = [
      percentile(a.latencies, 50),
      percentile(b.latencies, 50),
      percentile(a.latencies, 95),
      percentile(b.latencies, 95),
    ];
    rows.push([
      `${a.name}${a.kind === 'mutation' ? ' (m)' : ''}${a.grows ? ' †' : ''}`,
      `${span(count(a))} / ${span(count(b))}`,
      `${units(median(a.rcu))} / ${units(median(b.rcu))}`,
      `${units(median(a.wcu))} / ${units(median(b.wcu))}`,
      `${ms(p50a)} / ${ms(p50b)}`,
      ratio(p50b / p50a),
      `${ms(p95a)} / ${ms(p95b)}`,
      ratio(p95b / p95a),
    ]);
  }
  const lines = pad(rows);
  const { handler, baseline } = figures.bundles;
  const [coldHandler, coldBaseline] = [median(figures.cold.handler), median(figures.cold.baseline)];
  const tp = small.throughput;
  const extra: [string, string][] = [
    [
      'handler bundle (esbuild as the CDK stack)',
      `${kib(handler.bytes)} (${kib(handler.gzipBytes)} gzip); baseline ${kib(baseline.bytes)} (${kib(baseline.gzipBytes)} gzip); ${ratio(handler.bytes / baseline.bytes)} (budget ≤ ${BUNDLE_BUDGET}×)`,
    ],
    ['exports function bundle (reported only)', `${kib(figures.bundles.exports.bytes)} (${kib(figures.bundles.exports.gzipBytes)} gzip)`],
    [
      `cold import, median of ${figures.cold.handler.length} fresh processes each`,
      `handler ${ms(coldHandler)} ms, baseline ${ms(coldBaseline)} ms: ${ratio(coldHandler / coldBaseline)} (budget ≤ ${COLD_IMPORT_BUDGET}×)`,
    ],
  ];
  if (tp) {
    const [viaHandler, viaGraphqlJs] = [(tp.handler.calls / tp.handler.ms) * 1000, (tp.graphqlJs.calls / tp.graphqlJs.ms) * 1000];
    extra.push([
      `${tp.operation} warm throughput at ${small.factor}×`,
      `handler ${viaHandler.toFixed(0)}/s (${tp.handler.calls} calls), graphql-js execute ${viaGraphqlJs.toFixed(0)}/s (${tp.graphqlJs.calls} calls): ${ratio(viaHandler / viaGraphqlJs)} (budget ≥ ${WARM_THROUGHPUT_BUDGET}×)`,
    ]);
  }
  const empty = Array.from({ length: (rows[0]?.length ?? 2) - 2 }, () => ' ');
  for (const [label, text] of extra) lines.push(`| ${label} | ${text} |${empty.join('|')}|`);
  return lines.join('\n');
}

/** What each bundle holds: its largest parts, by package or project folder. */
export function bundleParts(figures: HandlerFigures, top = 12): string {
  return (['handler', 'exports', 'baseline'] as const)
    .map((name) => {
      const b = figures.bundles[name];
      return `${name} (${kib(b.bytes)}): ${b.parts
        .slice(0, top)
        .map((p) => `${p.name} ${kib(p.bytes)}`)
        .join(', ')}`;
    })
    .join('\n');
}

/** docs/benchmarks.md: one batch per dependent level read, one transaction; and the bound on the six together. */
const MUTATION_REQUESTS = 3;
const MUTATION_REQUESTS_TOGETHER = 14;

export function budgets(small: SizeResult, large: SizeResult, figures: HandlerFigures): Budget[] {
  // An export reads its whole dataset (1,000 records a Query): its requests are reported, not held to this budget.
  const grew = small.operations.flatMap((a) => {
    if (a.export) return [];
    const b = large.operations.find((o) => o.name === a.name);
    const [before, after] = [Math.max(...count(a)), b ? Math.max(...count(b)) : Number.POSITIVE_INFINITY];
    return after > before ? [`${a.name} ${before} → ${after}`] : [];
  });
  const scans = small.scans + large.scans;
  const coldRatio = median(figures.cold.handler) / median(figures.cold.baseline);
  const bundleRatio = figures.bundles.handler.bytes / figures.bundles.baseline.bytes;
  const tp = small.throughput;
  const warmRatio = tp ? tp.handler.calls / tp.handler.ms / (tp.graphqlJs.calls / tp.graphqlJs.ms) : Number.NaN;
  const pageCost = small.operations.flatMap((a) => {
    const b = large.operations.find((o) => o.name === a.name);
    if (a.grows || !b) return [];
    const [before, after] = [median(a.rcu), median(b.rcu)];
    return after > before ? [`${a.name} ${units(before)} → ${units(after)} RCU`] : [];
  });
  const mutations = [...small.operations, ...large.operations].filter((o) => o.kind === 'mutation');
  const overFloor = mutations.filter((o) => Math.max(...count(o)) > MUTATION_REQUESTS).map((o) => `${o.name} ${Math.max(...count(o))}`);
  const mutationSum = Math.max(
    ...[small, large].map((size) =>
      size.operations.filter((o) => o.kind === 'mutation').reduce((sum, o) => sum + Math.max(...count(o)), 0),
    ),
  );
  return [
    {
      name: `each contract mutation at most ${MUTATION_REQUESTS} DynamoDB requests, all of them at most ${MUTATION_REQUESTS_TOGETHER} together`,
      holds: overFloor.length === 0 && mutationSum <= MUTATION_REQUESTS_TOGETHER,
      enforced: true,
      detail: overFloor.length === 0 ? `${mutationSum} together` : `${overFloor.join(', ')}; ${mutationSum} together`,
    },
    {
      name: `the web app's entry chunk at most ${WEB_ENTRY_BUDGET_BYTES / 1000} KB gzipped`,
      holds: figures.web.gzipBytes <= WEB_ENTRY_BUDGET_BYTES,
      enforced: true,
      detail: `${figures.web.file}: ${(figures.web.gzipBytes / 1000).toFixed(1)} KB gzipped (${(figures.web.bytes / 1000).toFixed(1)} KB)`,
    },
    {
      name: 'DynamoDB requests per operation do not grow from 1× to 10×',
      holds: grew.length === 0,
      enforced: true,
      detail: grew.length === 0 ? `all ${small.operations.length} operations` : grew.join(', '),
    },
    {
      name: 'no Scan on a request path',
      holds: scans === 0,
      enforced: true,
      detail: `${scans} Scan requests during the operation runs`,
    },
    {
      name: `cold import within ${COLD_IMPORT_BUDGET}× of a minimal Apollo + DynamoDB handler`,
      holds: coldRatio <= COLD_IMPORT_BUDGET,
      enforced: true,
      detail: ratio(coldRatio),
    },
    {
      name: `bundle within ${BUNDLE_BUDGET}× of the minimal handler's, bundled alike`,
      holds: bundleRatio <= BUNDLE_BUDGET,
      enforced: true,
      detail: `${kib(figures.bundles.handler.bytes)} / ${kib(figures.bundles.baseline.bytes)}: ${ratio(bundleRatio)}`,
    },
    {
      name: `PlanOverview warm throughput at least ${WARM_THROUGHPUT_BUDGET}× plain graphql-js execute`,
      holds: warmRatio >= WARM_THROUGHPUT_BUDGET,
      enforced: true,
      detail: tp ? ratio(warmRatio) : 'not measured',
    },
    {
      name: 'a fixed-size page costs the same at 10× (read capacity, reported only)',
      holds: pageCost.length === 0,
      enforced: false,
      detail: pageCost.length === 0 ? 'no paged operation reads more' : pageCost.join(', '),
    },
  ];
}
