import { readFileSync } from 'node:fs';
import {
  buildSchema,
  extendSchema,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInterfaceType,
  isListType,
  isObjectType,
  parse,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { AddMilestoneDocument } from '../../client/generated/graphql.js';
import { limits as clientLimits, listCaps as clientListCaps } from '../../client/generated/limits.js';
import { loadSeed } from '../../data/load-seed.js';
import { limits, listCaps, listTotals } from '../../functions/graphql/generated/limits.js';
import { typeDefs } from '../../functions/graphql/generated/type-defs.js';
import { isPageEdges, measureDocument, productionLimits, RESPONSE_MAX_BYTES } from '../../functions/graphql/limits.js';
import { PLAN_YEARS } from '../../functions/graphql/resolvers/plan.mutations.js';
import { SCHEDULE_MAX } from '../../functions/plans/calendar.js';
import { MAX_PERIODS } from '../../functions/shelters/capacity.js';
import { regions } from '../../functions/shelters/shelters.model.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

/**
 * Every list of the schema is bounded (issue 24, item 2): a page whose `first` is capped, or a list whose length has a
 * cap in schema/limits.json, enforced on write (test/graphql/list-caps.test.ts). The cost limit counts each list by
 * its cap, and no answer is larger than RESPONSE_MAX_BYTES.
 */
const schema = buildSchema(typeDefs);

/** Every list-typed field of the schema, at any nesting, that is neither a capped page nor listed with a cap. */
function unboundedLists(s: GraphQLSchema): string[] {
  const types = Object.values(s.getTypeMap()).filter((t) => !t.name.startsWith('__'));
  const fieldsOf = (t: (typeof types)[number]) => (isObjectType(t) || isInterfaceType(t) ? Object.values(t.getFields()) : []);
  // A connection is capped when every field that answers it takes `first` (held to MAX_PAGE_SIZE by the cursor module).
  const answering = (typeName: string) =>
    types.flatMap((t) => fieldsOf(t).filter((f) => getNamedType(f.type).name === typeName && !isListType(getNullableType(f.type))));
  const capped = (parent: (typeof types)[number], f: GraphQLField<unknown, unknown>) =>
    (isPageEdges(parent, f) && answering(parent.name).every((a) => a.args.some((arg) => arg.name === 'first'))) ||
    listCaps[`${parent.name}.${f.name}`] !== undefined;
  return types.flatMap((t) =>
    fieldsOf(t)
      .filter((f) => isListType(getNullableType(f.type)) && !capped(t, f))
      .map((f) => `${t.name}.${f.name}`),
  );
}

describe('every list of the schema is bounded', () => {
  it('finds no list field that is neither a capped page nor capped in schema/limits.json', () => {
    expect(unboundedLists(schema)).toEqual([]);
  });

  it('fails on a new unbounded list, however deep, and on a page without `first`', () => {
    const extended = extendSchema(
      schema,
      parse(`
        type Note { tags: [String!]! }
        extend type Measure { notes: [Note!]! }
        type NoteConnection { edges: [NoteEdge!]! }
        type NoteEdge { node: Note! }
        extend type Agency { notePage: NoteConnection! }
      `),
    );
    expect(unboundedLists(extended).sort()).toEqual(['Measure.notes', 'Note.tags', 'NoteConnection.edges']);
  });

  it('names in schema/limits.json only list fields of the schema, and a cap for each', () => {
    for (const coordinate of Object.keys(listCaps)) {
      const [type, field] = coordinate.split('.') as [string, string];
      const t = schema.getType(type);
      const f = t && (isObjectType(t) || isInterfaceType(t)) ? t.getFields()[field] : undefined;
      expect(f && isListType(getNullableType(f.type)), coordinate).toBe(true);
      expect(listCaps[coordinate], coordinate).toBeGreaterThan(0);
    }
    for (const path of Object.keys(listTotals)) expect(listCaps[path.split('.').slice(0, 2).join('.')], path).toBeDefined();
    // One declaration, generated into the server and into the client package alike.
    expect(clientListCaps).toEqual(listCaps);
    expect(clientLimits).toEqual(limits);
  });

  it('caps a list of enum values at the enum, and a fixed list at its length', () => {
    for (const [coordinate, cap] of Object.entries(listCaps)) {
      const [type, field] = coordinate.split('.') as [string, string];
      const t = schema.getType(type);
      const f = t && isObjectType(t) ? t.getFields()[field] : undefined;
      const named = f ? getNamedType(f.type) : undefined;
      if (named && isEnumType(named)) expect(cap, coordinate).toBe(named.getValues().length);
    }
    expect(regions.length).toBeLessThanOrEqual(limits.regions);
  });

  it('holds the caps that code outside the GraphQL layer keeps to the same figures', () => {
    expect(SCHEDULE_MAX).toBe(limits.reportingPeriodsPerPlan);
    expect(MAX_PERIODS).toBe(limits.capacityPoints);
    expect(PLAN_YEARS.span).toBe(limits.planYears);
    // A plan declares at most as many measures as it can hold.
    expect(limits.planMeasureCountMax).toBeLessThanOrEqual(limits.measuresPerPlan);
  });
});

describe('the cost limit counts every list by its cap', () => {
  it('a list costs its cap times its subtree; a page its `first`; a page’s edges once', () => {
    // milestones: (2 + 1.5 × 1) × 100; measure: 2 + 1.5 × 350.
    expect(measureDocument(schema, '{ measure(id: "m") { milestones { id } } }').cost).toBe(527);
    // roles is a list of scalars: 4 × 1; viewer: 2 + 1.5 × 4.
    expect(measureDocument(schema, '{ viewer { roles } }').cost).toBe(8);
    // measures(first: 3): (2 + 1.5 × (2 + 1.5 × (2 + 1.5 × 1))) × 3, edges counted once.
    expect(measureDocument(schema, '{ actionPlan(id: "p") { measures(first: 3) { edges { node { id } } } } }').cost).toBe(
      2 + 1.5 * ((2 + 1.5 * (2 + 1.5 * (2 + 1.5))) * 3),
    );
  });

  it('counts a funding matrix’s cells by their total over its rows, not by rows × years', () => {
    const cost = measureDocument(
      schema,
      '{ fundingMatrix(planId: "p", rows: GOAL, columns: FISCAL_YEAR) { rows { key cells { key } } } }',
    ).cost;
    // rows: (2 + 1.5 × (1 + cells)) × 500, cells: (2 + 1.5) × (500 / 500).
    expect(cost).toBe(2 + 1.5 * ((2 + 1.5 * (1 + 3.5)) * limits.budgetLinesPerPlan));
  });

  it('passes every trusted document (the contract’s and the web app’s), as written and as a normalizing client sends it', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../client/generated/trusted-documents.json', import.meta.url), 'utf8'));
    const costs = (Object.values(manifest) as string[]).map((text) => measureDocument(schema, text).cost);
    expect(costs.length).toBeGreaterThan(80);
    expect(Math.max(...costs)).toBeLessThanOrEqual(productionLimits.cost);
  });

  it('counts nothing for `__typename`: a document costs the same with it in every selection set', () => {
    const written = '{ budgetLines(fiscalYear: 2013) { id agency { id } revisions { reason } } }';
    const typed = '{ budgetLines(fiscalYear: 2013) { __typename id agency { __typename id } revisions { __typename reason } } }';
    expect(measureDocument(schema, typed).cost).toBe(measureDocument(schema, written).cost);
    expect(measureDocument(schema, written).cost).toBeGreaterThan(0);
  });
});

let env: TestEnvironment;
let measureId = '';

const TITLE = 'x'.repeat(limits.milestoneTitle);
const addMilestone = (caller: typeof as.nav, n: number) =>
  execute(env.handler, caller, AddMilestoneDocument, { input: { measureId, title: `${n} ${TITLE}`.slice(0, 300), dueDate: '2013-06-01' } });

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  const created = await executeText<{ createMeasure: { measure: { id: string } } }>(
    env.handler,
    as.coordinator,
    'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }',
    { input: { planId: 'hp-2011-2014', title: 'Milepælstiltak', goalNumbers: [1] } },
  );
  measureId = created.data?.createMeasure.measure.id ?? '';
  const lead = await executeText(
    env.handler,
    as.coordinator,
    'mutation ($input: AssignResponsibilityInput!) { assignResponsibility(input: $input) { measure { id } } }',
    { input: { measureId, agencyId: 'nav', role: 'LEAD' } },
  );
  expect(lead.errors).toBeUndefined();
}, 120_000);

/** Prints a measured figure when REPORT_FIGURES is set (for docs/limits.md); silent otherwise. */
function report(line: string) {
  if (process.env.REPORT_FIGURES) process.stdout.write(`${line}\n`);
}

describe('the milestone attack (issue 24)', () => {
  it('a LEAD adds milestones up to the cap; the next is BAD_USER_INPUT naming measureId; ten aliases of them are answered within budget', async () => {
    for (let n = 1; n <= limits.milestonesPerMeasure; n++) {
      const res = await addMilestone(as.nav, n);
      expect(res.errors, `milestone ${n}`).toBeUndefined();
    }
    const over = await addMilestone(as.nav, 0);
    expect(over.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'measureId', limit: 'milestonesPerMeasure', maximum: 100 }),
    ]);
    expect(over.errors?.[0]?.message).toBe('A measure holds at most 100 milestones; this one has 100.');
    expect(over.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
    const read = await executeText<{ measure: { milestones: unknown[] } }>(
      env.handler,
      as.viewer,
      'query ($id: ID!) { measure(id: $id) { milestones { id } } }',
      { id: measureId },
    );
    expect(read.data?.measure.milestones).toHaveLength(limits.milestonesPerMeasure);

    // Then ten aliases of measure { milestones } are answered within their budget: cost under the limit, body under 1 MiB.
    const aliases = Array.from(
      { length: 10 },
      (_, i) => `m${i}: measure(id: $id) { milestones { id title dueDate doneOn status version } }`,
    ).join(' ');
    const query = `query ($id: ID!) { ${aliases} }`;
    expect(measureDocument(schema, query).cost).toBeLessThanOrEqual(productionLimits.cost);
    const started = performance.now();
    const res = await executeText<Record<string, { milestones: unknown[] }>>(env.handler, as.viewer, query, { id: measureId });
    const ms = performance.now() - started;
    const bytes = Buffer.byteLength(res.raw);
    report(`milestone attack: ${bytes} bytes in ${Math.round(ms)} ms, cost ${measureDocument(schema, query).cost}`);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(Object.values(res.data ?? {}).every((m) => m.milestones.length === limits.milestonesPerMeasure)).toBe(true);
    expect(bytes).toBeLessThan(RESPONSE_MAX_BYTES);
    // The cap bounds the answer at 10 × 100 milestones: about 0.45 MB, where 1,500 milestones gave 5.3 MB.
    expect(bytes).toBeLessThan(600_000);
  }, 120_000);
});

describe('agencies { reportingDuties } (issue 24)', () => {
  it('four aliases are refused by the cost limit before any DynamoDB request; so is one', async () => {
    const field = (alias: string) => `${alias}: agencies { id reportingDuties { edges { node { period dueDate status } } } }`;
    for (const query of [`{ ${['a', 'b', 'c', 'd'].map(field).join(' ')} }`, `{ ${field('a')} }`]) {
      const { result: res, requests } = await env.countRequests(() => executeText(env.handler, as.viewer, query));
      expect(res.status).toBe(400);
      expect(res.errors?.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', maximum: productionLimits.cost }),
      ]);
      expect(res.errors?.[0]?.message).toMatch(/^Query Cost limit of 60000 exceeded, found \d+(\.\d+)?\.$/);
      expect(requests).toEqual([]);
    }
  });
});

describe('the response size ceiling', () => {
  it(`refuses an answer over ${RESPONSE_MAX_BYTES} bytes whole, as RESPONSE_TOO_LARGE, never a truncated body`, async () => {
    // A plan of 100 measures with descriptions of 5,000 two-byte characters: 1 MB a page; two aliases are 2 MB.
    const planId = 'storplan';
    const plan = await executeText(
      env.handler,
      as.coordinator,
      'mutation ($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }',
      {
        input: { id: planId, title: 'Stor plan', periodStart: '2015-01-01', periodEnd: '2018-12-31', coordinatorId: 'jd', measureCount: 0 },
      },
    );
    expect(plan.errors).toBeUndefined();
    for (let i = 0; i < 100; i++) {
      const res = await executeText(
        env.handler,
        as.coordinator,
        'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id } } }',
        { input: { planId, title: `Tiltak ${i}`, description: 'æ'.repeat(limits.measureText), goalNumbers: [] } },
      );
      expect(res.errors).toBeUndefined();
    }
    const page = 'measures(first: 100) { edges { node { description } } }';
    const one = await executeText(env.handler, as.viewer, `{ actionPlan(id: "${planId}") { ${page} } }`);
    expect(one.status).toBe(200);
    expect(Buffer.byteLength(one.raw)).toBeGreaterThan(1_000_000);
    expect(Buffer.byteLength(one.raw)).toBeLessThanOrEqual(RESPONSE_MAX_BYTES);

    const query = `{ a: actionPlan(id: "${planId}") { ${page} } b: actionPlan(id: "${planId}") { ${page} } }`;
    expect(measureDocument(schema, query).cost).toBeLessThanOrEqual(productionLimits.cost);
    const res = await executeText(env.handler, as.viewer, query);
    report(`response ceiling: a page ${Buffer.byteLength(one.raw)} bytes; two aliases refused: ${res.errors?.[0]?.message}`);
    expect(res.status).toBe(400);
    expect(() => JSON.parse(res.raw)).not.toThrow();
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      {
        message: expect.stringMatching(/^The response is larger than 1048576 bytes \(found \d{7}\); ask for fewer fields/),
        extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'responseBytes', maximum: RESPONSE_MAX_BYTES },
      },
    ]);
    expect(Buffer.byteLength(res.raw)).toBeLessThan(1_000);
  }, 120_000);
});
