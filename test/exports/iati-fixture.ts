import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { validateXML, type XMLValidationResult } from 'xmllint-wasm';
import type {
  IatiAllocation,
  IatiBudgetLine,
  IatiDisbursement,
  IatiMeasure,
  IatiOrganisation,
  IatiPlanData,
  IatiRenderOptions,
} from '../../functions/exports/iati.js';
import { renderIatiActivities } from '../../functions/exports/iati.js';

/** The official IATI 2.03 schemas, copied into the repository (test/exports/iati/README.md). */
const schema = (name: string) => ({ fileName: name, contents: readFileSync(new URL(`./iati/${name}`, import.meta.url), 'utf8') });
const SCHEMAS = {
  activities: schema('iati-activities-schema.xsd'),
  preload: [schema('iati-common.xsd'), schema('xml.xsd')],
};

/** Validates an activity file against iati-activities-schema.xsd with libxml2 (as WebAssembly). */
export function validateIati(xml: string): Promise<XMLValidationResult> {
  return validateXML({ xml: [{ fileName: 'activities.xml', contents: xml }], schema: [SCHEMAS.activities], preload: SCHEMAS.preload });
}

/** Parses XML into a DOM to read the file back. */
export function parseXml(xml: string) {
  return new new Window().DOMParser().parseFromString(xml, 'application/xml');
}

/** The whole file as one string (small inputs only). */
export async function renderToString(data: IatiPlanData, options?: IatiRenderOptions): Promise<string> {
  let xml = '';
  for await (const chunk of renderIatiActivities(data, options)) xml += chunk;
  return xml;
}

/** "1234.56" → 123456n øre; refuses anything but kroner with exactly two decimals. */
export function oreOf(value: string): bigint {
  const m = /^(\d+)\.(\d{2})$/.exec(value);
  if (!m) throw new Error(`Not kroner with two decimals: ${JSON.stringify(value)}`);
  return BigInt(m[1] ?? '') * 100n + BigInt(m[2] ?? '');
}

/** A deterministic generator (mulberry32), as data/demo.ts uses. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Fixture {
  readonly data: IatiPlanData;
  readonly allocations: IatiAllocation[];
  readonly disbursements: IatiDisbursement[];
  /** How often each list was asked for. */
  readonly calls: { allocationsOf: string[]; disbursementsOf: string[] };
}

/**
 * A plan shaped as the demo set (data/demo.ts) makes it: four ministries holding 16 budget lines over
 * 2011–2014, the first coordinating; five measures, one per goal, each led by a ministry; three
 * allocations per line, to the measure's LEAD or (every third) a shelter operator; half of each paid
 * out, except one allocation of the first line that nothing was paid from.
 */
export function demoShapedPlan(
  options: { organizationNumbers?: Readonly<Record<string, string>>; measures?: (ms: IatiMeasure[]) => IatiMeasure[] } = {},
): Fixture {
  const numbers = options.organizationNumbers ?? {};
  const org = (id: string, name: string, kind: IatiOrganisation['kind']): IatiOrganisation => ({
    id,
    name,
    kind,
    organizationNumber: numbers[id] ?? null,
  });
  const holders = ['a', 'b', 'c', 'd'].map((x, i) => org(`demo-departement-${x}`, `[Demo] Departement ${'ABCD'[i]}`, 'MINISTRY'));
  const operators = [
    org('demo-krisesenter-vest', '[Demo] Krisesenteret i Vest', 'NGO'),
    org('demo-stiftelse-midt', '[Demo] Stiftelsen Trygg havn', 'NGO'),
    org('demo-nordby-kommune', '[Demo] Nordby kommune', 'MUNICIPALITY'),
  ];
  const baseMeasures: IatiMeasure[] = [1, 2, 3, 4, 5].map((g) => ({
    id: `demo-measure-goal-${g}`,
    number: g,
    title: `[Demo] Eksempeltiltak under mål ${g}`,
    description: 'Demo data: invented to show the platform, not a fact',
    status: 'IN_PROGRESS',
    updatedAt: '2026-11-01T10:00:00.000Z',
    leadAgencyId: holders[(g - 1) % holders.length]?.id ?? null,
  }));
  const measures = options.measures ? options.measures(baseMeasures) : baseMeasures;
  const lines: IatiBudgetLine[] = Array.from({ length: 16 }, (_, i) => ({
    id: `demo-line-${i + 1}`,
    agencyId: holders[Math.floor(i / 4) % holders.length]?.id ?? '',
    fiscalYear: 2011 + (i % 4),
    chapter: 9000,
    post: 1 + (Math.floor(i / 4) % 4) * 10 + (i % 4),
    title: '[Demo] Tilskudd til tiltak mot menneskehandel',
  }));
  const allocations: IatiAllocation[] = [];
  const disbursements: IatiDisbursement[] = [];
  lines.forEach((line, i) => {
    const rnd = random(104729 * (i + 1));
    for (let a = 0; a < 3; a++) {
      const measure = baseMeasures[(i + a) % baseMeasures.length];
      const amountOre = BigInt(10_000_000 + Math.floor(rnd() * 25_000_000));
      const unpaid = i === 0 && a === 1;
      const id = `demo-alloc-${i + 1}-${a + 1}`;
      allocations.push({
        id,
        budgetLineId: line.id,
        fiscalYear: line.fiscalYear,
        lineAgencyId: line.agencyId,
        measureId: measure?.id ?? null,
        recipientId: a % 3 === 2 ? (operators[(i + a) % operators.length]?.id ?? null) : (measure?.leadAgencyId ?? line.agencyId),
        amountOre,
        disbursedOre: unpaid ? 0n : amountOre / 2n,
        createdAt: `2026-11-0${1 + (i % 9)}T09:00:00.000Z`,
      });
      if (!unpaid)
        disbursements.push({
          id: `demo-disb-${i + 1}-${a + 1}`,
          allocationId: id,
          date: `${line.fiscalYear}-0${1 + (a % 9)}-15`,
          amountOre: amountOre / 2n,
          createdAt: `2026-11-1${i % 10}T12:00:00.000Z`,
        });
    }
  });
  const calls = { allocationsOf: [] as string[], disbursementsOf: [] as string[] };
  const data: IatiPlanData = {
    generatedAt: '2026-11-30T12:00:00.000Z',
    plan: { id: 'demo', title: '[Demo] Eksempelplan mot menneskehandel (2011–2014)', periodStart: '2011-01-01', periodEnd: '2014-12-31' },
    reportingOrg: holders[0] as IatiOrganisation,
    organisations: new Map([...holders, ...operators].map((o) => [o.id, o])),
    budgetLines: new Map(lines.map((l) => [l.id, l])),
    measures,
    async *allocationsOf(measureId) {
      calls.allocationsOf.push(measureId);
      yield* allocations.filter((a) => a.measureId === measureId);
    },
    async *disbursementsOf(allocationId) {
      calls.disbursementsOf.push(allocationId);
      yield* disbursements.filter((d) => d.allocationId === allocationId);
    },
  };
  return { data, allocations, disbursements, calls };
}

/** Sums of øre by a key. */
export function sumBy<T>(items: readonly T[], key: (t: T) => string, amount: (t: T) => bigint): Map<string, bigint> {
  const sums = new Map<string, bigint>();
  for (const t of items) sums.set(key(t), (sums.get(key(t)) ?? 0n) + amount(t));
  return sums;
}
