import v8 from 'node:v8';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { FundingSummaryDocument, UpdateAgencyDocument } from '../../client/generated/graphql.js';
import { generateDemo } from '../../data/demo.js';
import { createRepositories } from '../../functions/app/context.js';
import {
  activityIdentifier,
  activityStatus,
  escapeAttribute,
  escapeText,
  type IatiAllocation,
  type IatiDisbursement,
  type IatiMeasure,
  type IatiPlanData,
  organisationRef,
  renderIatiActivities,
} from '../../functions/exports/iati.js';
import { type IatiListings, loadIatiPlanData } from '../../functions/exports/iati-data.js';
import { allocationEntity } from '../../functions/funding/entities/allocation.js';
import { disbursementEntity } from '../../functions/funding/entities/disbursement.js';
import type { AllocationRecord, DisbursementRecord } from '../../functions/funding/funding.model.js';
import { BadUserInputError, NotFoundError } from '../../functions/shared/errors.js';
import { as, execute, executeText, exportRequest } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { scanAll } from '../support/scan.js';
import { demoShapedPlan, oreOf, parseXml, renderToString, sumBy, validateIati } from './iati-fixture.js';

type El = ReturnType<ReturnType<typeof parseXml>['getElementsByTagName']>[number];

const children = (el: El, name: string): El[] => [...el.children].filter((c) => c.tagName === name);
const child = (el: El, name: string): El => {
  const found = children(el, name)[0];
  if (!found) throw new Error(`<${el.tagName}> has no <${name}>`);
  return found;
};
const narrativeOf = (el: El) => child(el, 'narrative').textContent ?? '';

/** The file read back: what each activity says. */
function readActivities(xml: string) {
  const doc = parseXml(xml);
  return [...doc.getElementsByTagName('iati-activity')].map((a) => ({
    element: a,
    identifier: child(a, 'iati-identifier').textContent ?? '',
    reportingOrg: child(a, 'reporting-org'),
    title: narrativeOf(child(a, 'title')),
    description: narrativeOf(child(a, 'description')),
    orgs: children(a, 'participating-org').map((o) => ({
      role: o.getAttribute('role'),
      ref: o.getAttribute('ref'),
      type: o.getAttribute('type'),
      name: narrativeOf(o),
    })),
    status: child(a, 'activity-status').getAttribute('code'),
    budgets: children(a, 'budget').map((b) => ({
      start: child(b, 'period-start').getAttribute('iso-date'),
      end: child(b, 'period-end').getAttribute('iso-date'),
      ore: oreOf(child(b, 'value').textContent ?? ''),
      valueDate: child(b, 'value').getAttribute('value-date'),
    })),
    transactions: children(a, 'transaction').map((t) => ({
      ref: t.getAttribute('ref') ?? '',
      type: child(t, 'transaction-type').getAttribute('code'),
      date: child(t, 'transaction-date').getAttribute('iso-date'),
      ore: oreOf(child(t, 'value').textContent ?? ''),
      valueDate: child(t, 'value').getAttribute('value-date'),
      provider: child(t, 'provider-org').getAttribute('ref'),
      receiverName: narrativeOf(child(t, 'receiver-org')),
    })),
  }));
}

const measureIdOf = (identifier: string) => identifier.slice(identifier.indexOf('demo-measure'));

describe('renderIatiActivities', () => {
  it('renders the demo plan as a file that validates against the IATI 2.03 activity schema', async () => {
    // Prepare
    const { data } = demoShapedPlan({ organizationNumbers: { 'demo-departement-a': '974760673', 'demo-krisesenter-vest': '987654325' } });
    // Act
    const xml = await renderToString(data);
    const result = await validateIati(xml);
    // Assess
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(readActivities(xml)).toHaveLength(5);
    // The validator is not lenient: the status before the organisations, or a reporting organisation without @ref, is refused.
    const misordered = xml.replace(/(<participating-org[\s\S]*?)(<activity-status code="\d"\/>\n)/, '$2$1');
    expect(misordered).not.toBe(xml);
    expect((await validateIati(misordered)).valid).toBe(false);
    expect((await validateIati(xml.replace(/<reporting-org ref="[^"]*"/g, '<reporting-org'))).valid).toBe(false);
  });

  it('has the 2.03 header, NOK as default currency, bokmål narratives and values in kroner with two decimals', async () => {
    const { data, allocations, disbursements } = demoShapedPlan();
    const xml = await renderToString(data);
    const doc = parseXml(xml);
    const root = doc.documentElement;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03"')).toBe(true);
    expect(root.getAttribute('generated-datetime')).toBe('2026-11-30T12:00:00.000Z');
    const activities = [...doc.getElementsByTagName('iati-activity')];
    expect(activities.every((a) => a.getAttribute('default-currency') === 'NOK' && a.getAttribute('xml:lang') === 'nb')).toBe(true);
    // The last update of an activity is the latest of its measure, allocations and disbursements.
    const measureOf = new Map(allocations.map((a) => [a.id, a.measureId]));
    const latest = data.measures.map((m) =>
      [
        m.updatedAt,
        ...allocations.filter((a) => a.measureId === m.id).map((a) => a.createdAt),
        ...disbursements.filter((d) => measureOf.get(d.allocationId) === m.id).map((d) => d.createdAt),
      ]
        .sort()
        .at(-1),
    );
    expect(new Set(latest).size).toBeGreaterThan(1);
    expect(activities.map((a) => a.getAttribute('last-updated-datetime'))).toEqual(latest);
    const narratives = [...doc.getElementsByTagName('narrative')];
    expect(narratives.length).toBeGreaterThan(100);
    expect(narratives.every((n) => n.getAttribute('xml:lang') === 'nb')).toBe(true);
    const values = [...doc.getElementsByTagName('value')].map((v) => v.textContent ?? '');
    expect(values.length).toBeGreaterThan(90);
    expect(values.every((v) => /^\d+\.\d{2}$/.test(v))).toBe(true);

    // Øre become kroner exactly, however small or large.
    const odd: IatiPlanData = {
      ...data,
      measures: [data.measures[0] as IatiMeasure],
      allocationsOf: () => [
        { ...(allocations[0] as IatiAllocation), amountOre: 5n, disbursedOre: 0n },
        { ...(allocations[0] as IatiAllocation), id: 'big', amountOre: 123_456_789_012_345_678_901n, disbursedOre: 0n },
      ],
    };
    const oddValues = readActivities(await renderToString(odd))[0]?.transactions.map((t) => t.ore);
    expect(oddValues).toEqual([5n, 123_456_789_012_345_678_901n]);
    expect(await renderToString(odd)).toContain('<value value-date="2026-11-01">0.05</value>');
    expect(await renderToString(odd)).toContain('>1234567890123456789.01</value>');
  });

  it('gives transactions that sum to the allocated and disbursed totals, per measure, and budgets per fiscal year that sum to the year’s allocations', async () => {
    const { data, allocations, disbursements } = demoShapedPlan();
    const activities = readActivities(await renderToString(data));
    const measureOf = new Map(allocations.map((a) => [a.id, a.measureId ?? '']));
    const allocated = sumBy(
      allocations,
      (a) => a.measureId ?? '',
      (a) => a.amountOre,
    );
    const disbursed = sumBy(
      disbursements,
      (d) => measureOf.get(d.allocationId) ?? '',
      (d) => d.amountOre,
    );
    const perYear = sumBy(
      allocations,
      (a) => `${a.measureId}|${a.fiscalYear}`,
      (a) => a.amountOre,
    );
    expect(allocated.size).toBe(5);

    let commitments = 0n;
    let payments = 0n;
    for (const a of activities) {
      const id = measureIdOf(a.identifier);
      const sum = (type: string) => a.transactions.filter((t) => t.type === type).reduce((s, t) => s + t.ore, 0n);
      expect(sum('2'), id).toBe(allocated.get(id));
      expect(sum('3'), id).toBe(disbursed.get(id));
      commitments += sum('2');
      payments += sum('3');
      expect(a.budgets.length).toBeGreaterThan(0);
      for (const b of a.budgets) {
        const year = b.start?.slice(0, 4);
        expect(b).toEqual({ start: `${year}-01-01`, end: `${year}-12-31`, ore: perYear.get(`${id}|${year}`), valueDate: `${year}-01-01` });
      }
      expect(a.budgets.reduce((s, b) => s + b.ore, 0n)).toBe(allocated.get(id));
    }
    expect(commitments).toBe(allocations.reduce((s, a) => s + a.amountOre, 0n));
    expect(payments).toBe(disbursements.reduce((s, d) => s + d.amountOre, 0n));
    // One commitment per allocation and one disbursement per payment, each dated and referenced.
    const transactions = activities.flatMap((a) => a.transactions);
    expect(
      transactions
        .filter((t) => t.type === '2')
        .map((t) => t.ref)
        .sort(),
    ).toEqual(allocations.map((a) => a.id).sort());
    expect(
      transactions
        .filter((t) => t.type === '3')
        .map((t) => t.ref)
        .sort(),
    ).toEqual(disbursements.map((d) => d.id).sort());
    const payment = transactions.find((t) => t.ref === 'demo-disb-2-3');
    expect(payment).toMatchObject({ type: '3', date: '2012-03-15', valueDate: '2012-03-15', provider: null });
    const commitment = transactions.find((t) => t.ref === 'demo-alloc-2-3');
    expect(commitment).toMatchObject({
      type: '2',
      date: '2026-11-02',
      valueDate: '2026-11-02',
      receiverName: '[Demo] Krisesenteret i Vest',
    });
  });

  it('names the coordinating ministry as reporting organisation and each agency by its role, with NO-BRC identifiers where it has an organisasjonsnummer', async () => {
    const { data, allocations } = demoShapedPlan({
      organizationNumbers: { 'demo-departement-a': '974760673', 'demo-departement-b': '923456783', 'demo-krisesenter-vest': '987654325' },
    });
    const activities = readActivities(await renderToString(data));
    for (const a of activities) {
      const id = measureIdOf(a.identifier);
      expect(a.identifier).toBe(`NO-BRC-974760673-${id}`);
      expect(a.reportingOrg.getAttribute('ref')).toBe('NO-BRC-974760673');
      expect(a.reportingOrg.getAttribute('type')).toBe('10');
      expect(narrativeOf(a.reportingOrg)).toBe('[Demo] Departement A');
      const mine = allocations.filter((x) => x.measureId === id);
      const byRole = (role: string) => a.orgs.filter((o) => o.role === role).map((o) => o.name);
      const nameOf = (agencyId: string | null) => data.organisations.get(agencyId ?? '')?.name;
      expect(byRole('1')).toEqual([...new Set(mine.map((x) => x.lineAgencyId))].sort().map(nameOf));
      expect(byRole('2')).toEqual([nameOf(data.measures.find((m) => m.id === id)?.leadAgencyId ?? null)]);
      expect(byRole('4')).toEqual([...new Set(mine.map((x) => x.recipientId))].sort().map(nameOf));
    }
    const orgs = activities.flatMap((a) => a.orgs);
    expect(orgs.find((o) => o.name === '[Demo] Departement B')).toMatchObject({ ref: 'NO-BRC-923456783', type: '10' });
    expect(orgs.find((o) => o.name === '[Demo] Krisesenteret i Vest')).toMatchObject({ ref: 'NO-BRC-987654325', type: '22' });
    // Without a number an organisation is named, never given an invented identifier.
    expect(orgs.find((o) => o.name === '[Demo] Departement C')).toMatchObject({ ref: null, type: '10' });
    expect(orgs.find((o) => o.name === '[Demo] Nordby kommune')).toMatchObject({ ref: null, type: '10' });
    const provider = activities.flatMap((a) => a.transactions).find((t) => t.ref === 'demo-alloc-5-1');
    expect(provider?.provider).toBe('NO-BRC-923456783');
  });

  it('gives a coordinator without organisasjonsnummer a placeholder identifier that no registration agency issues, and stays valid', async () => {
    const { data } = demoShapedPlan();
    const xml = await renderToString(data);
    const [first] = readActivities(xml);
    expect(first?.reportingOrg.getAttribute('ref')).toBe('XX-SAMORDNING-demo-departement-a');
    expect(first?.identifier).toBe('XX-SAMORDNING-demo-departement-a-demo-measure-goal-1');
    expect(organisationRef({ organizationNumber: '974 760 673' })).toBe('NO-BRC-974760673');
    expect(organisationRef({ organizationNumber: '97476067' })).toBeNull();
    expect(activityIdentifier({ id: 'x y', name: 'X', kind: 'MINISTRY' }, 'm/1&2?')).toBe('XX-SAMORDNING-x_y-m_1_2_');
    expect((await validateIati(xml)).valid).toBe(true);
  });

  it('escapes hostile text in titles, descriptions and names, and drops characters XML cannot hold', async () => {
    const hostile = `</narrative></title><script>alert("x")</script> & 'quotes' "double" ]]> &amp; \u0007bell \uD83D\uDE00 lone\uD800`;
    const { data } = demoShapedPlan({
      measures: (ms) => ms.map((m, i) => (i === 0 ? { ...m, title: hostile, description: `<b>${hostile}</b>` } : m)),
    });
    const hostileData: IatiPlanData = {
      ...data,
      organisations: new Map(
        [...data.organisations].map(([id, o]) => [id, id === 'demo-nordby-kommune' ? { ...o, name: `Nordby "<kommune>" & 'co'` } : o]),
      ),
    };
    const xml = await renderToString(hostileData);
    expect((await validateIati(xml)).errors).toEqual([]);
    const [first] = readActivities(xml);
    const kept = `</narrative></title><script>alert("x")</script> & 'quotes' "double" ]]> &amp; bell \uD83D\uDE00 lone`;
    expect(first?.title).toBe(kept);
    expect(first?.description).toBe(`<b>${kept}</b>`);
    expect(xml).not.toContain('<script>');
    expect(readActivities(xml).flatMap((a) => a.orgs.map((o) => o.name))).toContain(`Nordby "<kommune>" & 'co'`);
    expect(escapeText(`a<b>&c`)).toBe('a&lt;b&gt;&amp;c');
    expect(escapeAttribute(`"'<&>\n\t`)).toBe('&quot;&apos;&lt;&amp;&gt;&#10;&#9;');
  });

  it('maps each measure status to an IATI activity status', async () => {
    const paid = { allocatedOre: 100n, disbursedOre: 40n };
    const unpaid = { allocatedOre: 100n, disbursedOre: 0n };
    const full = { allocatedOre: 100n, disbursedOre: 100n };
    expect({
      NOT_REPORTED: [activityStatus('NOT_REPORTED', unpaid), activityStatus('NOT_REPORTED', paid)],
      PLANNED: activityStatus('PLANNED', unpaid),
      IN_PROGRESS: activityStatus('IN_PROGRESS', paid),
      DELAYED: activityStatus('DELAYED', paid),
      COMPLETED: [activityStatus('COMPLETED', paid), activityStatus('COMPLETED', full)],
      DISCONTINUED: activityStatus('DISCONTINUED', paid),
    }).toEqual({
      NOT_REPORTED: ['1', '2'],
      PLANNED: '1',
      IN_PROGRESS: '2',
      DELAYED: '2',
      COMPLETED: ['3', '4'],
      DISCONTINUED: '5',
    });
    const statuses = ['PLANNED', 'DELAYED', 'COMPLETED', 'DISCONTINUED', 'NOT_REPORTED'] as const;
    const { data } = demoShapedPlan({ measures: (ms) => ms.map((m, i) => ({ ...m, status: statuses[i] ?? 'IN_PROGRESS' })) });
    const activities = readActivities(await renderToString(data));
    // Every demo measure is half paid: COMPLETED is still in finalisation, NOT_REPORTED with payments is implementation.
    expect(activities.map((a) => a.status)).toEqual(['1', '2', '3', '5', '2']);
  });

  it('omits a measure without funding, and refuses a plan with no funded measure before writing anything', async () => {
    const { data, calls } = demoShapedPlan({
      measures: (ms) => [...ms, { ...ms[0], id: 'demo-measure-unfunded', number: 6, title: 'Uten midler' } as (typeof ms)[number]],
    });
    const activities = readActivities(await renderToString(data));
    expect(activities.map((a) => measureIdOf(a.identifier))).toEqual([1, 2, 3, 4, 5].map((g) => `demo-measure-goal-${g}`));
    expect(calls.allocationsOf).toContain('demo-measure-unfunded');

    const empty: IatiPlanData = { ...data, measures: data.measures.filter((m) => m.id === 'demo-measure-unfunded') };
    const chunks: string[] = [];
    const failure = (async () => {
      for await (const chunk of renderIatiActivities(empty)) chunks.push(chunk);
    })();
    await expect(failure).rejects.toBeInstanceOf(NotFoundError);
    await expect(failure).rejects.toMatchObject({ extensions: { field: 'planId' } });
    expect(chunks).toEqual([]);
  });

  it('streams in chunks, and reads a measure twice when it has too many transactions to keep, giving the same file', async () => {
    const once = demoShapedPlan();
    const twice = demoShapedPlan();
    const whole = await renderToString(once.data);
    const chunks: string[] = [];
    for await (const chunk of renderIatiActivities(twice.data, { keepPerMeasure: 0, chunkSize: 2000 })) chunks.push(chunk);
    expect(chunks.join('')).toBe(whole);
    expect(chunks.length).toBeGreaterThan(10);
    // A chunk is cut after the activity head or the transaction that fills it.
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(2000 + 3000);
    expect(once.calls.allocationsOf).toHaveLength(5);
    expect(twice.calls.allocationsOf).toHaveLength(10);
    // An allocation nothing was paid from has no list to read.
    expect(once.calls.disbursementsOf).toHaveLength(47);
    expect(once.calls.disbursementsOf).not.toContain('demo-alloc-1-2');
  });

  it('reads up to readAhead disbursement lists at once, keeping the listed order', async () => {
    const { data } = demoShapedPlan();
    const whole = await renderToString(data);
    let inFlight = 0;
    let most = 0;
    const slow: IatiPlanData = {
      ...data,
      async *disbursementsOf(allocationId) {
        inFlight++;
        most = Math.max(most, inFlight);
        // Later allocations answer sooner: order must come from the listing, not from who answers first.
        await new Promise((resolve) => setTimeout(resolve, 20 - Number(allocationId.split('-')[2])));
        inFlight--;
        yield* data.disbursementsOf(allocationId);
      },
    };
    expect(await renderToString(slow, { readAhead: 4 })).toBe(whole);
    expect(most).toBe(4);
    expect(inFlight).toBe(0);
  });

  it('exports 100,000 allocations and their 100,000 disbursements in bounded memory, yielding before it has read them all', async () => {
    const perMeasure = 20_000;
    const measures = demoShapedPlan().data.measures;
    let read = 0;
    const allocation = (m: number, i: number): IatiAllocation => ({
      id: `synthetic-alloc-${m}-${i}`,
      budgetLineId: `demo-line-${1 + (i % 16)}`,
      fiscalYear: 2011 + (i % 4),
      lineAgencyId: `demo-departement-${'abcd'[i % 4]}`,
      measureId: measures[m]?.id ?? null,
      recipientId: 'demo-krisesenter-vest',
      amountOre: 1_000_000n + BigInt(i),
      disbursedOre: 500_000n,
      createdAt: '2026-11-01T09:00:00.000Z',
    });
    const data: IatiPlanData = {
      ...demoShapedPlan().data,
      async *allocationsOf(measureId) {
        const m = measures.findIndex((x) => x.id === measureId);
        for (let i = 0; i < perMeasure; i++) {
          read++;
          yield allocation(m, i);
        }
      },
      async *disbursementsOf(allocationId): AsyncGenerator<IatiDisbursement> {
        yield { id: `${allocationId}-d`, allocationId, date: '2012-06-15', amountOre: 500_000n, createdAt: '2026-11-02T09:00:00.000Z' };
      },
    };
    // What stays reachable, not garbage not yet collected: the heap is measured after a full collection.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const retained = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = retained();
    let peak = before;
    let bytes = 0;
    let chunks = 0;
    let transactions = 0;
    let readAtFirstChunk = -1;
    let largestChunk = 0;
    const started = performance.now();
    for await (const chunk of renderIatiActivities(data)) {
      if (readAtFirstChunk < 0) readAtFirstChunk = read;
      bytes += Buffer.byteLength(chunk);
      transactions += chunk.split('<transaction ').length - 1;
      largestChunk = Math.max(largestChunk, chunk.length);
      if (++chunks % 100 === 0) peak = Math.max(peak, retained());
    }
    const seconds = (performance.now() - started) / 1000;
    const growthMb = (peak - before) / 2 ** 20;
    console.info(
      `IATI export of 100,000 allocations: ${(bytes / 2 ** 20).toFixed(1)} MB in ${chunks} chunks, ${seconds.toFixed(1)} s, retained heap growth at most ${growthMb.toFixed(1)} MB`,
    );
    expect(transactions).toBe(2 * 5 * perMeasure);
    // The first chunk comes while the first measure's transactions are read the second time.
    expect(readAtFirstChunk).toBeGreaterThan(perMeasure);
    expect(readAtFirstChunk).toBeLessThan(perMeasure + 1000);
    expect(largestChunk).toBeLessThan(65536 + 2000);
    // The file (about 100 MB) never sits in memory: what the export holds stays a few MB, sampled 16 times over the run.
    expect(bytes).toBeGreaterThan(100 * 2 ** 20);
    expect(chunks).toBeGreaterThan(1500);
    expect(growthMb).toBeLessThan(16);
  }, 120_000);
});

describe('loadIatiPlanData with the real repositories (DynamoDB Local, the demo set)', () => {
  let env: TestEnvironment;
  let stored: { allocations: AllocationRecord[]; disbursements: DisbursementRecord[] };
  /** The listings the coordinator wires to the funding indexes, stood in for by the demo's own items. */
  const listings = (calls: string[] = []): IatiListings => ({
    async *allocationsOfMeasure(measureId) {
      calls.push(`allocations:${measureId}`);
      yield* stored.allocations.filter((a) => a.measureId === measureId);
    },
    async *disbursementsOfAllocation(allocationId) {
      calls.push(`disbursements:${allocationId}`);
      yield* stored.disbursements.filter((d) => d.allocationId === allocationId);
    },
  });

  beforeAll(async () => {
    env = await createTestEnvironment();
    await generateDemo(env.db, { size: 1, kind: 'demo', weeks: 1 });
    // Known items for the stand-ins: read with a Scan, which tests may do and request paths never do.
    const items = await scanAll(env, env.names.funding);
    stored = {
      allocations: items.filter((i) => i.sk === 'ALLOC').map((i) => allocationEntity.parse(i)),
      disbursements: items.filter((i) => String(i.sk).startsWith('DISB#')).map((i) => disbursementEntity.parse(i)),
    };
  }, 300_000);

  it('gathers the demo plan in 8 requests, and its file validates and sums to the funding summary, per measure and per fiscal year', async () => {
    // Prepare
    expect(stored.allocations).toHaveLength(48);
    expect(stored.disbursements).toHaveLength(48);
    const calls: string[] = [];
    // Act
    const { result: data, requests } = await env.countRequests(() =>
      loadIatiPlanData(createRepositories(env.db()), 'demo', listings(calls), new Date('2026-11-30T12:00:00Z')),
    );
    const xml = await renderToString(data);
    // Assess: the plan, then the directory, the measures, the MEASURE summary and one Query per fiscal year.
    expect(requests.sort()).toEqual(['BatchGetItem', ...Array(7).fill('Query')]);
    expect(calls.filter((c) => c.startsWith('allocations:'))).toHaveLength(5);
    expect(calls.filter((c) => c.startsWith('disbursements:'))).toHaveLength(48);
    expect((await validateIati(xml)).errors).toEqual([]);
    expect(data.budgetLines.size).toBe(16);

    const activities = readActivities(xml);
    expect(activities).toHaveLength(5);
    const summary = async (fiscalYear: number | null) => {
      const res = await execute(env.handler, as.funder, FundingSummaryDocument, { planId: 'demo', groupBy: 'MEASURE', fiscalYear });
      return new Map((res.data?.fundingSummary ?? []).map((row) => [row.key, row]));
    };
    const all = await summary(null);
    expect(all.size).toBe(5);
    for (const a of activities) {
      const id = measureIdOf(a.identifier);
      const row = all.get(id);
      const sum = (type: string) => a.transactions.filter((t) => t.type === type).reduce((s, t) => s + t.ore, 0n);
      expect(sum('2'), id).toBe(oreOf(row?.allocated ?? ''));
      expect(sum('3'), id).toBe(oreOf(row?.disbursed ?? ''));
      expect(a.title).toBe(data.measures.find((m) => m.id === id)?.title);
      expect(a.orgs.filter((o) => o.role === '2')).toHaveLength(1);
      expect(a.status).toBe('2');
    }
    for (const year of [2011, 2012, 2013, 2014]) {
      const rows = await summary(year);
      for (const a of activities) {
        const budget = a.budgets.find((b) => b.start === `${year}-01-01`);
        expect(budget?.ore ?? 0n).toBe(oreOf(rows.get(measureIdOf(a.identifier))?.allocated ?? '0.00'));
      }
    }
  });

  it('names the coordinator by its organisasjonsnummer once the directory holds it', async () => {
    const agency = await executeText<{ agency: { version: number } }>(
      env.handler,
      as.coordinator,
      '{ agency(id: "demo-departement-a") { version } }',
    );
    const update = await execute(env.handler, as.coordinator, UpdateAgencyDocument, {
      input: { id: 'demo-departement-a', expectedVersion: agency.data?.agency.version ?? 0, organizationNumber: '974760673' },
    });
    expect(update.errors).toBeUndefined();
    const data = await loadIatiPlanData(createRepositories(env.db()), 'demo', listings());
    const [first] = readActivities(await renderToString(data));
    expect(first?.identifier).toBe('NO-BRC-974760673-demo-measure-goal-1');
    expect(first?.orgs.find((o) => o.role === '1' && o.name === '[Demo] Departement A')?.ref).toBe('NO-BRC-974760673');
  });

  it('answers GET /exports/iati-activities/{planId}.xml through the API and its authorizer: the same file the known items give, valid, named and audited', async () => {
    // Act
    const res = await exportRequest(env.handler, as.funder, '/exports/iati-activities/demo.xml');
    // Assess: the route reads the lists the funding indexes give, and they hold exactly the demo's items.
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="iati-activities-demo.xml"');
    expect((await validateIati(res.body)).errors).toEqual([]);
    const expected = await renderToString(await loadIatiPlanData(createRepositories(env.db()), 'demo', listings()));
    const withoutTime = (xml: string) => xml.replace(/generated-datetime="[^"]*"/, '');
    expect(withoutTime(res.body)).toBe(withoutTime(expected));
    expect(readActivities(res.body)).toHaveLength(5);
    const trail = await executeText<{ auditTrail: { edges: { node: { action: string; actor: { subject: string }; changes: string } }[] } }>(
      env.handler,
      as.coordinator,
      'query { auditTrail(entityId: "export:iati-activities") { edges { node { action actor { subject } changes } } } }',
    );
    const entry = trail.data?.auditTrail.edges.find((e) => e.node.actor.subject === 'user-funder')?.node;
    expect(entry?.action).toBe('export');
    expect(entry?.changes).toContain('"planId":"demo"');
  });

  it('refuses the IATI file without a token (401), for a plan that does not exist (400 naming planId), with query parameters (400), and for a plan with nothing funded (404)', async () => {
    const path = '/exports/iati-activities/demo.xml';
    const anonymous = await exportRequest(env.handler, as.anonymous, path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).not.toContain('demo-measure');
    const unknown = await exportRequest(env.handler, as.funder, '/exports/iati-activities/no-such-plan.xml');
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({ field: 'planId' });
    expect((await exportRequest(env.handler, as.funder, path, 'dialect=excel-nb')).status).toBe(400);
    const created = await executeText(
      env.handler,
      as.coordinator,
      'mutation ($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }',
      {
        input: {
          id: 'iati-unfunded',
          title: 'Uten midler',
          periodStart: '2015-01-01',
          periodEnd: '2016-12-31',
          coordinatorId: 'demo-departement-a',
          measureCount: 1,
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const empty = await exportRequest(env.handler, as.funder, '/exports/iati-activities/iati-unfunded.xml');
    expect(empty.status).toBe(404);
    expect(JSON.parse(empty.body)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a plan that does not exist as BAD_USER_INPUT naming planId, after one request', async () => {
    const { result, requests } = await env.countRequests(() =>
      loadIatiPlanData(createRepositories(env.db()), 'no-such-plan', listings()).catch((error: unknown) => error),
    );
    expect(result).toBeInstanceOf(BadUserInputError);
    expect(result).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'planId' } });
    expect(requests).toEqual(['BatchGetItem']);
  });
});
