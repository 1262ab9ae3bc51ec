import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { type ChangeEvent, detailSchemas, eventKinds, UNKNOWN_KIND } from '../../functions/events/catalogue.js';
import { type EventSink, publishRecords, type StreamRecord } from '../../functions/events/consumer.js';
import { EventBridgeSink } from '../../functions/events/eventbridge.js';
import { StreamFollower } from '../../local/outbox.js';
import { ROOT } from '../../local/paths.js';
import { as, executeText, exportRequest } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { allocate, createBudgetLine, disburse } from '../support/funding.js';
import { scanAll } from '../support/scan.js';
import { createShelter, reportCapacity } from '../support/shelters.js';

const ADDRESS = 'Hemmeligveien 1, 0150 Oslo';
const NEW_ADDRESS = 'Skjultgata 7, 0151 Oslo';
const CONTACT = 'post@testetaten.example';
const SCHEMA_DIR = join(ROOT, 'docs', 'events');

/** A sink that keeps what it is given, for the real consumer and stream follower to publish into. */
class MemorySink implements EventSink {
  readonly events: ChangeEvent[] = [];
  async put(events: readonly ChangeEvent[]) {
    this.events.push(...events);
    return [];
  }
}

let env: TestEnvironment;
const sink = new MemorySink();

function ajv() {
  const validator = new Ajv2020({ allErrors: true, strict: true });
  // date-time, as the schemas use it: an ISO 8601 instant.
  validator.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  for (const file of readdirSync(SCHEMA_DIR)) validator.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')));
  return validator;
}

async function ok<T>(promise: Promise<{ errors?: unknown; data?: T | null }>): Promise<T> {
  const res = await promise;
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data as T;
}

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  const h = env.handler;
  // Real writes through the GraphQL handler: one of every audited action.
  await ok(
    executeText(h, as.coordinator, 'mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } } }', {
      input: { id: 'testetaten', name: 'Testetaten', kind: 'DIRECTORATE', contactEmail: CONTACT },
    }),
  );
  await ok(
    executeText(h, as.coordinator, 'mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { id } } }', {
      input: { id: 'testetaten', expectedVersion: 1, shortName: 'TE', contactEmail: `ny-${CONTACT}` },
    }),
  );
  // An integration of the directory's new agency, changed and revoked.
  const integration = 'mutation ($input: RegisterIntegrationInput!) { registerIntegration(input: $input) { integration { version } } }';
  await ok(
    executeText(h, as.coordinator, integration, {
      input: { clientId: 'evclient', name: 'Testjobb', agencyId: 'testetaten', scopes: ['READ'] },
    }),
  );
  await ok(
    executeText(
      h,
      as.coordinator,
      'mutation ($input: UpdateIntegrationInput!) { updateIntegration(input: $input) { integration { version } } }',
      {
        input: { clientId: 'evclient', expectedVersion: 1, scopes: ['READ', 'WRITE'] },
      },
    ),
  );
  await ok(
    executeText(
      h,
      as.coordinator,
      'mutation ($input: RevokeIntegrationInput!) { revokeIntegration(input: $input) { integration { version } } }',
      {
        input: { clientId: 'evclient', expectedVersion: 2 },
      },
    ),
  );
  const planInput = {
    id: 'ev-plan',
    title: 'Hendelsesplan',
    periodStart: '2015-01-01',
    periodEnd: '2018-12-31',
    coordinatorId: 'jd',
    measureCount: 5,
  };
  const created = await ok<{ createPlan: { plan: { version: number } } }>(
    executeText(h, as.coordinator, 'mutation ($input: CreatePlanInput!) { createPlan(input: $input) { plan { version } } }', {
      input: planInput,
    }),
  );
  const updated = await ok<{ updatePlan: { plan: { version: number } } }>(
    executeText(h, as.coordinator, 'mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { plan { version } } }', {
      input: { id: 'ev-plan', expectedVersion: created.createPlan.plan.version, title: 'Hendelsesplanen' },
    }),
  );
  expect(updated.updatePlan.plan.version).toBeGreaterThan(created.createPlan.plan.version);
  await ok(
    executeText(h, as.coordinator, 'mutation ($input: CreateGoalInput!) { createGoal(input: $input) { plan { id } } }', {
      input: { planId: 'ev-plan', title: 'Et mål' },
    }),
  );
  const measure = await ok<{ createMeasure: { measure: { id: string; version: number } } }>(
    executeText(h, as.coordinator, 'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { measure { id version } } }', {
      input: { planId: 'ev-plan', number: 1, title: 'Et tiltak', goalNumbers: [1], status: 'PLANNED' },
    }),
  );
  const measureId = measure.createMeasure.measure.id;
  await ok(
    executeText(h, as.coordinator, 'mutation ($input: UpdateMeasureInput!) { updateMeasure(input: $input) { measure { id } } }', {
      input: { id: measureId, expectedVersion: measure.createMeasure.measure.version, title: 'Et bedre tiltak', status: 'IN_PROGRESS' },
    }),
  );
  await ok(
    executeText(
      h,
      as.coordinator,
      'mutation ($input: SetReportingScheduleInput!) { setReportingSchedule(input: $input) { plan { id } } }',
      {
        input: { planId: 'ev-plan', periods: [2015, 2016, 2017, 2018].map((y) => ({ period: `${y}`, dueDate: `${y + 1}-03-01` })) },
      },
    ),
  );
  const milestone = await ok<{ addMilestone: { milestone: { id: string; version: number } } }>(
    executeText(h, as.coordinator, 'mutation ($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id version } } }', {
      input: { measureId, title: 'Første delmål', dueDate: '2016-06-30' },
    }),
  );
  const milestoneId = milestone.addMilestone.milestone.id;
  await ok(
    executeText(h, as.coordinator, 'mutation ($input: UpdateMilestoneInput!) { updateMilestone(input: $input) { milestone { id } } }', {
      input: { id: milestoneId, expectedVersion: milestone.addMilestone.milestone.version, dueDate: '2016-09-30' },
    }),
  );
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date());
  await ok(
    executeText(h, as.coordinator, 'mutation ($input: CompleteMilestoneInput!) { completeMilestone(input: $input) { milestone { id } } }', {
      input: { id: milestoneId, doneOn: today },
    }),
  );
  const indicator = await ok<{ defineIndicator: { indicator: { id: string } } }>(
    executeText(h, as.coordinator, 'mutation ($input: DefineIndicatorInput!) { defineIndicator(input: $input) { indicator { id } } }', {
      input: { measureId, name: 'Veiledede personer', unit: 'personer', baseline: 0, target: 120, direction: 'INCREASE' },
    }),
  );
  await ok(
    executeText(
      h,
      as.coordinator,
      'mutation ($input: RecordIndicatorValueInput!) { recordIndicatorValue(input: $input) { indicator { id } } }',
      { input: { indicatorId: indicator.defineIndicator.indicator.id, period: '2015', value: 42.5, comment: 'Fritekst som ikke skal ut' } },
    ),
  );
  await ok(
    executeText(
      h,
      as.coordinator,
      'mutation ($input: AssignResponsibilityInput!) { assignResponsibility(input: $input) { measure { id } } }',
      {
        input: { measureId, agencyId: 'nav', role: 'LEAD' },
      },
    ),
  );
  const report = { measureId, period: '2015', status: 'IN_PROGRESS', progressPercent: 10, summary: 'Godt i gang' };
  const submit = 'mutation ($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { measure { id } } }';
  await ok(executeText(h, as.nav, submit, { input: report }));
  // The same report again, with the same status: the diff drops what did not change, the event still names it.
  await ok(executeText(h, as.nav, submit, { input: { ...report, summary: 'Fortsatt i gang' } }));
  await ok(
    executeText(
      h,
      as.coordinator,
      'mutation ($input: RemoveResponsibilityInput!) { removeResponsibility(input: $input) { measure { id } } }',
      {
        input: { measureId, agencyId: 'nav' },
      },
    ),
  );
  const lineId = await createBudgetLine(h);
  await ok(
    executeText(h, as.coordinator, 'mutation ($input: ReviseBudgetLineInput!) { reviseBudgetLine(input: $input) { budgetLine { id } } }', {
      input: {
        id: lineId,
        appropriated: '2000000.00',
        reason: 'Revidert nasjonalbudsjett, fritekst',
        decidedOn: '2012-06-15',
        expectedVersion: 1,
      },
    }),
  );
  const allocation = await allocate(h, { budgetLineId: lineId, amount: '1000.00', measureId: 'hp-2011-2014-nav-kontor' });
  if (allocation.errors) throw new Error(JSON.stringify(allocation.errors));
  const paid = await disburse(h, { allocationId: allocation.data?.allocateFunds.allocation.id, amount: '100.00' });
  if (paid.errors) throw new Error(JSON.stringify(paid.errors));
  expect((await exportRequest(h, as.funder, '/exports/allocations.csv', `budgetLineId=${lineId}`)).status).toBe(200);
  const shelterId = await createShelter(h, { address: ADDRESS });
  await ok(
    executeText(
      h,
      as.otherAgency,
      'mutation ($id: ID!, $a: String!) { updateShelter(input: { id: $id, expectedVersion: 1, address: $a, name: "Nytt navn" }) { shelter { version } } }',
      {
        id: shelterId,
        a: NEW_ADDRESS,
      },
    ),
  );
  // Occupancy below the suppression threshold, and then again for the same day.
  const capacity = await reportCapacity(h, shelterId, '2012-05-01', 10, 2);
  if (capacity.errors) throw new Error(JSON.stringify(capacity.errors));
  const again = await reportCapacity(h, shelterId, '2012-05-01', 10, 3);
  if (again.errors) throw new Error(JSON.stringify(again.errors));
  const read = await ok<{ shelter: { address: string } }>(
    executeText(h, as.otherAgency, 'query ($id: ID!) { shelter(id: $id) { address } }', { id: shelterId }),
  );
  expect(read.shelter.address).toBe(NEW_ADDRESS);

  // The audit table's stream, followed as npm start follows it, into the real consumer.
  const streamArn = (await env.client.send(new DescribeTableCommand({ TableName: env.names.audit }))).Table?.LatestStreamArn ?? '';
  const follower = new StreamFollower(
    streamArn,
    sink,
    join(mkdtempSync(join(tmpdir(), 'events-')), 'checkpoint.json'),
    inject('dynamoEndpoint'),
  );
  await follower.pollOnce();
}, 180_000);

afterAll(() => undefined);

describe('change events from the audit stream', () => {
  it('publishes exactly one event per audit entry, with the entry id as its stable id', async () => {
    const trailItems = (await scanAll(env, env.names.audit)).filter((i) => i.pk === `ENTITY#${String(i.entityId)}`);
    const entryIds = trailItems.map((i) => String(i.id)).sort();
    expect(entryIds.length).toBeGreaterThan(35);
    expect(sink.events.map((e) => e.detail.id).sort()).toEqual(entryIds);
  });

  it('has a detail type for every audit action written in functions/**, and this run produced each of them', () => {
    const actions = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !path.includes('generated')) {
          const text = readFileSync(path, 'utf8');
          for (const m of text.matchAll(/\baction: '([a-zA-Z]+)'/g)) actions.add(m[1] as string);
          for (const m of text.matchAll(/\b(?:replacePlan|auditMeasure)\('([a-zA-Z]+)'/g)) actions.add(m[1] as string);
          for (const m of text.matchAll(/\bwrite(?:Milestone|Indicator)\(ctx, '([a-zA-Z]+)'/g)) actions.add(m[1] as string);
        }
      }
    };
    walk(join(ROOT, 'functions'));
    expect(actions.size).toBeGreaterThanOrEqual(23);
    expect([...actions].filter((a) => !Object.hasOwn(eventKinds, a))).toEqual([]);
    const produced = new Set(sink.events.map((e) => e.detailType));
    expect([...Object.values(eventKinds)].map((k) => k.detailType).filter((t) => !produced.has(t))).toEqual([]);
    expect(produced.has(UNKNOWN_KIND.detailType)).toBe(false);
  });

  it('matches the JSON Schema of its detail type in docs/events/, for every event of the run', () => {
    const validator = ajv();
    for (const event of sink.events) {
      const validate = validator.getSchema(`samordning:events:${event.detailType}`);
      expect(validate, event.detailType).toBeDefined();
      expect(validate?.(event.detail), `${event.detailType}: ${JSON.stringify(validate?.errors)}`).toBe(true);
    }
  });

  it('keeps docs/events/ equal to what the catalogue generates (npm run events:schemas)', () => {
    const files = readdirSync(SCHEMA_DIR).sort();
    const schemas = detailSchemas();
    expect(files).toEqual(
      Object.keys(schemas)
        .map((t) => `${t}.schema.json`)
        .sort(),
    );
    for (const [type, schema] of Object.entries(schemas))
      expect(JSON.parse(readFileSync(join(SCHEMA_DIR, `${type}.schema.json`), 'utf8'))).toEqual(schema);
  });

  it('carries no address, no occupancy, no person and no contact e-mail in any event', () => {
    const text = JSON.stringify(sink.events);
    for (const secret of [
      ADDRESS,
      NEW_ADDRESS,
      'Hemmeligveien',
      'Skjultgata',
      CONTACT,
      'user-nav',
      'user-coordinator',
      'user-kirkens-bymisjon',
      'Godt i gang',
      'Fritekst som ikke skal ut',
      'Revidert nasjonalbudsjett, fritekst',
    ])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/occup|"address"|\[confidential\]/i);
    const capacity = sink.events.filter((e) => e.detailType === 'CapacityReported');
    expect(capacity).toHaveLength(2);
    for (const e of capacity) expect(Object.keys(e.detail.data).sort()).toEqual(['capacity', 'date', 'replaced']);
    expect(capacity.map((e) => e.detail.data)).toEqual([
      { date: '2012-05-01', capacity: 10, replaced: false },
      { date: '2012-05-01', capacity: 10, replaced: true },
    ]);
    const shelterUpdated = sink.events.find((e) => e.detailType === 'ShelterUpdated');
    expect(shelterUpdated?.detail.data).toEqual({ changedFields: ['name'], changes: {} });
  });

  it('names the measure and plan of a milestone or indicator, and the period and value recorded', () => {
    const of = (type: string) => sink.events.filter((e) => e.detailType === type).map((e) => e.detail.data);
    const part = { measureId: expect.any(String), planId: 'ev-plan' };
    expect(of('MilestoneAdded')).toEqual([{ ...part, title: 'Første delmål', dueDate: '2016-06-30' }]);
    expect(of('MilestoneUpdated')).toEqual([{ ...part, changedFields: ['dueDate'], changes: { dueDate: '2016-09-30' } }]);
    expect(of('MilestoneCompleted')).toEqual([{ ...part, doneOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
    expect(of('IndicatorValueRecorded')).toEqual([{ ...part, period: '2015', value: 42.5 }]);
    expect(of('ReportingScheduleSet')[0]?.periods).toEqual([
      { period: '2015', dueDate: '2016-03-01' },
      { period: '2016', dueDate: '2017-03-01' },
      { period: '2017', dueDate: '2018-03-01' },
      { period: '2018', dueDate: '2019-03-01' },
    ]);
  });

  it("names an integration's grant as it stands after each change, never its name", () => {
    const of = (type: string) =>
      sink.events.filter((e) => e.detailType === type).map((e) => [e.detail.entityId, e.detail.agencyIds, e.detail.data]);
    const grant = { role: 'AGENCY_EDITOR', agencyId: 'testetaten' };
    expect(of('IntegrationRegistered')).toEqual([['evclient', ['testetaten'], { ...grant, scopes: ['read'] }]]);
    expect(of('IntegrationUpdated')).toEqual([
      ['evclient', ['testetaten'], { ...grant, changedFields: ['scopes'], scopes: ['read', 'write'] }],
    ]);
    expect(of('IntegrationRevoked')).toEqual([['evclient', ['testetaten'], {}]]);
  });

  it('names the ids, the actor agency and the time: a submitted report, a replaced one, an assignment, an allocation', () => {
    const reports = sink.events.filter((e) => e.detailType === 'StatusReportSubmitted' && e.detail.actor.agencyId === 'nav');
    expect(reports.map((e) => e.detail.data)).toEqual([
      {
        planId: 'ev-plan',
        period: '2015',
        agencyId: 'nav',
        status: 'IN_PROGRESS',
        progressPercent: 10,
        measureStatus: null,
        replaced: false,
      },
      {
        planId: 'ev-plan',
        period: '2015',
        agencyId: 'nav',
        status: 'IN_PROGRESS',
        progressPercent: 10,
        measureStatus: null,
        replaced: true,
      },
    ]);
    expect(reports[0]?.detail).toMatchObject({ action: 'submitStatusReport', actor: { agencyId: 'nav', roles: ['AGENCY_EDITOR'] } });
    expect(Date.parse(reports[0]?.detail.occurredAt ?? '')).toBeGreaterThan(Date.now() - 600_000);
    const assigned = sink.events.find(
      (e) =>
        e.detailType === 'ResponsibilityAssigned' &&
        e.detail.data.agencyId === 'nav' &&
        e.detail.actor.roles.includes('COORDINATOR') &&
        e.detail.entityId.startsWith('ev-plan'),
    );
    expect(assigned?.detail.data).toEqual({ agencyId: 'nav', role: 'LEAD', previousRole: null });
    const allocated = sink.events.find((e) => e.detailType === 'FundsAllocated');
    expect(allocated?.detail.data).toEqual({
      budgetLineId: expect.any(String),
      measureId: 'hp-2011-2014-nav-kontor',
      recipientId: null,
      shelterId: null,
      amount: '1000.00',
    });
    const agencyUpdated = sink.events.find((e) => e.detailType === 'AgencyUpdated');
    expect(agencyUpdated?.detail.data).toEqual({ changedFields: ['contactEmail', 'shortName', 'version'], changes: { shortName: 'TE' } });
  });
});

describe('failures', () => {
  const record = (seq: string, pk: string, id: string): StreamRecord => ({
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: seq,
      NewImage: {
        pk: { S: pk },
        sk: { S: `2026-01-01T00:00:00.000Z#${id}` },
        id: { S: id },
        at: { S: '2026-01-01T00:00:00.000Z' },
        actor: { M: { subject: { S: 'someone' }, roles: { L: [{ S: 'COORDINATOR' }] }, agencyId: { NULL: true } } },
        action: { S: 'createGoal' },
        entityId: { S: 'p' },
        changes: { NULL: true },
        ownerAgencyIds: { L: [] },
      },
    },
  });

  it('skips owner views, and reports the first record the sink refused (Lambda resumes from it)', async () => {
    const refused = new Set(['b']);
    const taken: string[] = [];
    const result = await publishRecords(
      [record('1', 'ENTITY#p', 'a'), record('2', 'ENTITY#p#OWNER#jd', 'a'), record('3', 'ENTITY#p', 'b'), record('4', 'ENTITY#p', 'c')],
      {
        async put(events) {
          const at = events.findIndex((e) => refused.has(e.detail.id));
          taken.push(...events.slice(0, at < 0 ? events.length : at).map((e) => e.detail.id));
          return at < 0 ? [] : events.slice(at);
        },
      },
    );
    expect(taken).toEqual(['a']);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '3' }], published: 1 });
  });

  it('reports an unreadable record as failed, after publishing those before it', async () => {
    const bad: StreamRecord = {
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: '9', NewImage: { pk: { S: 'ENTITY#p' }, id: { S: 'x' } } },
    };
    const memory = new MemorySink();
    const result = await publishRecords([record('8', 'ENTITY#p', 'a'), bad, record('10', 'ENTITY#p', 'c')], memory);
    expect(memory.events.map((e) => e.detail.id)).toEqual(['a']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '9' }]);
  });

  it('sends entries PutEvents refused in part again, and returns those refused every time', async () => {
    const calls: string[][] = [];
    // A stand-in for the EventBridge client: entry "b" is throttled once, entry "c" always fails.
    const client = {
      async send(command: { input: { Entries?: { Detail?: string }[] } }) {
        const ids = (command.input.Entries ?? []).map((e) => (JSON.parse(e.Detail ?? '{}') as { id: string }).id);
        calls.push(ids);
        const bOnce = calls.filter((c) => c.includes('b')).length === 1;
        return {
          FailedEntryCount: 0,
          Entries: ids.map((id) => (id === 'c' || (id === 'b' && bOnce) ? { ErrorCode: 'ThrottlingException' } : { EventId: `e-${id}` })),
        };
      },
    } as unknown as EventBridgeClient;
    const events = ['a', 'b', 'c'].map((id) => ({
      detailType: 'GoalCreated',
      detail: {
        id,
        action: 'createGoal',
        entityId: 'p',
        occurredAt: '2026-01-01T00:00:00.000Z',
        actor: { agencyId: null, roles: [] },
        agencyIds: [],
        data: {},
      },
    }));
    const refused = await new EventBridgeSink('bus', client).put(events);
    expect(refused.map((e) => e.detail.id)).toEqual(['c']);
    expect(calls[0]).toEqual(['a', 'b', 'c']);
    expect(calls[1]).toEqual(['b', 'c']);
    expect(calls.slice(2).every((c) => c.length === 1 && c[0] === 'c')).toBe(true);
  });
});
