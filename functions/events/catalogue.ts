import type { AuditRecord } from '../audit/audit.model.js';

/**
 * The change events: one per audit entry, published to the stage's EventBridge bus with `source`
 * `samordning` and a detail type per audit action. Each detail type names exactly the fields it
 * carries (an allow-list: a field a writer adds to its audit diff reaches no event until it is named
 * here), and its JSON Schema is generated from the same table into docs/events/ (`npm run
 * events:schemas`), so a schema and what the publisher sends cannot drift apart unnoticed.
 *
 * What no event carries, whatever the action: a shelter's address (the audit diff holds only a
 * marker), any occupancy figure (capacity events carry the day and the capacity, which is exact and
 * public (docs/privacy.md), and nothing about occupancy, so no threshold is needed), a person's
 * subject (the actor is named by agency and roles only: a Cognito subject identifies a person), an
 * agency's contact e-mail (it may be a person's), and free text a reporter wrote (a report's summary).
 */

export const EVENT_SOURCE = 'samordning';

/** What every event's detail holds besides its data. `id` is the audit entry's id: consumers dedupe on it. */
export interface ChangeDetail {
  readonly id: string;
  readonly action: string;
  readonly entityId: string;
  readonly occurredAt: string;
  readonly actor: { readonly agencyId: string | null; readonly roles: readonly string[] };
  /** The agencies whose own entity the change is about (the audit entry's owners). */
  readonly agencyIds: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
}

export interface ChangeEvent {
  readonly detailType: string;
  readonly detail: ChangeDetail;
}

type JsonSchema = Readonly<Record<string, unknown>>;

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const nullableInt = { type: ['integer', 'null'] } as const;
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const money = {
  type: 'string',
  pattern: '^-?\\d+(\\.\\d{1,2})?$',
  description: 'Kroner with at most two decimals, as the Money scalar',
} as const;
const strings = { type: 'array', items: str } as const;
const ints = { type: 'array', items: int } as const;
const role = { enum: ['LEAD', 'SHARED'] } as const;
const nullableRole = { enum: ['LEAD', 'SHARED', null] } as const;
const measureStatus = { enum: ['NOT_REPORTED', 'PLANNED', 'IN_PROGRESS', 'COMPLETED', 'DELAYED', 'DISCONTINUED'] } as const;

/** The diff of an audit entry: the changed fields, before and after (AuditRepository.diff). */
interface Diff {
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
}

interface DetailKind {
  readonly detailType: string;
  readonly description: string;
  /** JSON Schemas of the data fields; every one listed is required (null where it may be absent). */
  readonly data: Readonly<Record<string, JsonSchema>>;
  readonly build: (entry: AuditRecord, diff: Diff) => Record<string, unknown>;
}

/** An object of the public fields that changed, for the `*Updated` kinds: field name → new value. */
function changedPublic(diff: Diff, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => Object.hasOwn(diff.after, f)).map((f) => [f, diff.after[f] ?? null]));
}

/** The names of the changed fields, without the confidential ones (whose marker shows on every diff, changed or not). */
const changedFields = (diff: Diff, hidden: readonly string[] = []) =>
  Object.keys(diff.after)
    .filter((f) => !hidden.includes(f))
    .sort();

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const integer = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const textList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const intList = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : []);
/** Whether the entry replaced something stored: a new record's diff has every field null before. */
const wasStored = (d: Diff) => Object.values(d.before).some((v) => v !== null);
const fact = (entry: AuditRecord, name: string) => entry.facts?.[name] ?? null;

const AGENCY_PUBLIC = ['name', 'kind', 'parentId', 'shortName', 'organizationNumber'] as const;
const PLAN_PUBLIC = ['title', 'periodStart', 'periodEnd', 'measureCount', 'coordinatorId'] as const;
const MEASURE_PUBLIC = ['number', 'title', 'status', 'goalNumbers', 'leadAgencyId'] as const;
const SHELTER_PUBLIC = ['operatorId', 'region', 'targetGroups', 'services'] as const;
const MILESTONE_PUBLIC = ['title', 'dueDate'] as const;
const integrationRole = { enum: ['COORDINATOR', 'AGENCY_EDITOR', 'FUNDER', 'VIEWER'] } as const;
const integrationScopes = { type: 'array', items: { enum: ['read', 'write', 'publish-documents'] } } as const;
/** An integration's grant after a change, from its audit entry's facts (the diff holds only what changed). */
const grantFacts = (e: AuditRecord) => ({
  role: fact(e, 'role'),
  agencyId: text(fact(e, 'agencyId')),
  scopes: (text(fact(e, 'scopes')) ?? '').split(' ').filter((s) => s !== ''),
});
/** The measure and plan a milestone or indicator belongs to (its audit entry's facts). */
const measurePart = (e: AuditRecord) => ({ measureId: text(fact(e, 'measureId')) ?? '', planId: text(fact(e, 'planId')) ?? '' });

const updated = (fields: readonly string[], types: Readonly<Record<string, JsonSchema>>): Readonly<Record<string, JsonSchema>> => ({
  changedFields: strings,
  changes: {
    type: 'object',
    description: 'The new value of each public field that changed; other changed fields are named in changedFields only',
    properties: Object.fromEntries(fields.map((f) => [f, types[f] ?? {}])),
    additionalProperties: false,
  },
});

/** Every audit action written in functions/** and its detail type; a test checks that none is missing. */
export const eventKinds: Readonly<Record<string, DetailKind>> = {
  createAgency: {
    detailType: 'AgencyCreated',
    description: 'An agency joined the directory.',
    data: { name: str, kind: str, parentId: nullableStr, shortName: nullableStr, organizationNumber: nullableStr },
    build: (_e, d) => ({
      name: text(d.after.name) ?? '',
      kind: text(d.after.kind) ?? '',
      parentId: text(d.after.parentId),
      shortName: text(d.after.shortName),
      organizationNumber: text(d.after.organizationNumber),
    }),
  },
  updateAgency: {
    detailType: 'AgencyUpdated',
    description: "An agency's directory entry changed (a contact e-mail is named in changedFields, never given).",
    data: updated(AGENCY_PUBLIC, { name: str, kind: str, parentId: nullableStr, shortName: nullableStr, organizationNumber: nullableStr }),
    build: (_e, d) => ({ changedFields: changedFields(d), changes: changedPublic(d, AGENCY_PUBLIC) }),
  },
  assignResponsibility: {
    detailType: 'ResponsibilityAssigned',
    description: 'An agency was given a role (LEAD or SHARED) on a measure (entityId).',
    data: { agencyId: str, role, previousRole: nullableRole },
    build: (e, d) => ({
      agencyId: text(fact(e, 'agencyId')) ?? '',
      role: fact(e, 'role'),
      previousRole: Object.hasOwn(d.before, 'role') ? (d.before.role ?? null) : fact(e, 'role'),
    }),
  },
  removeResponsibility: {
    detailType: 'ResponsibilityRemoved',
    description: "An agency's role on a measure (entityId) ended.",
    data: { agencyId: str, previousRole: role },
    build: (e) => ({ agencyId: text(fact(e, 'agencyId')) ?? '', previousRole: fact(e, 'role') }),
  },
  createPlan: {
    detailType: 'PlanCreated',
    description: 'An action plan was created.',
    data: { title: str, periodStart: date, periodEnd: date, measureCount: int, coordinatorId: str },
    build: (_e, d) => ({
      title: text(d.after.title) ?? '',
      periodStart: text(d.after.periodStart) ?? '',
      periodEnd: text(d.after.periodEnd) ?? '',
      measureCount: integer(d.after.measureCount) ?? 0,
      coordinatorId: text(d.after.coordinatorId) ?? '',
    }),
  },
  updatePlan: {
    detailType: 'PlanUpdated',
    description: 'An action plan changed.',
    data: updated(PLAN_PUBLIC, { title: str, periodStart: date, periodEnd: date, measureCount: int, coordinatorId: str }),
    build: (_e, d) => ({ changedFields: changedFields(d), changes: changedPublic(d, PLAN_PUBLIC) }),
  },
  createGoal: {
    detailType: 'GoalCreated',
    description: 'A goal was added to an action plan (entityId).',
    data: { goalNumber: int, title: str },
    build: (_e, d) => {
      const goals = (v: unknown) => (Array.isArray(v) ? (v as { number?: unknown; title?: unknown }[]) : []);
      const had = new Set(goals(d.before.goals).map((g) => g.number));
      const added = goals(d.after.goals).find((g) => !had.has(g.number));
      return { goalNumber: integer(added?.number) ?? 0, title: text(added?.title) ?? '' };
    },
  },
  createMeasure: {
    detailType: 'MeasureCreated',
    description: 'A measure was added to an action plan.',
    data: { planId: str, number: nullableInt, title: str, status: measureStatus, goalNumbers: ints, leadAgencyId: nullableStr },
    build: (e, d) => ({
      planId: text(fact(e, 'planId')) ?? '',
      number: integer(d.after.number),
      title: text(d.after.title) ?? '',
      status: d.after.status,
      goalNumbers: intList(d.after.goalNumbers),
      leadAgencyId: text(d.after.leadAgencyId),
    }),
  },
  updateMeasure: {
    detailType: 'MeasureUpdated',
    description: 'A measure changed.',
    data: {
      planId: str,
      ...updated(MEASURE_PUBLIC, { number: nullableInt, title: str, status: measureStatus, goalNumbers: ints, leadAgencyId: nullableStr }),
    },
    build: (e, d) => ({
      planId: text(fact(e, 'planId')) ?? '',
      changedFields: changedFields(d),
      changes: changedPublic(d, MEASURE_PUBLIC),
    }),
  },
  submitStatusReport: {
    detailType: 'StatusReportSubmitted',
    description: 'An agency reported on a measure (entityId) for a period; the summary text is read through the API.',
    data: {
      planId: str,
      period: { type: 'string', pattern: '^\\d{4}(-(H[12]|Q[1-4]))?$' },
      agencyId: str,
      status: measureStatus,
      progressPercent: { type: 'integer', minimum: 0, maximum: 100 },
      measureStatus: { enum: [...measureStatus.enum, null] },
      replaced: { type: 'boolean' },
    },
    build: (e, d) => ({
      planId: text(fact(e, 'planId')) ?? '',
      period: text(fact(e, 'period')) ?? '',
      agencyId: text(fact(e, 'agencyId')) ?? '',
      status: fact(e, 'status'),
      progressPercent: integer(fact(e, 'progressPercent')) ?? 0,
      measureStatus: text(d.after.measureStatus),
      replaced: wasStored(d),
    }),
  },
  setReportingSchedule: {
    detailType: 'ReportingScheduleSet',
    description: "A plan's (entityId) reporting periods and due dates were set; null periods when the schedule stayed the same.",
    data: {
      periods: {
        type: ['array', 'null'],
        items: {
          type: 'object',
          properties: { period: { type: 'string', pattern: '^\\d{4}(-(H[12]|Q[1-4]))?$' }, dueDate: date },
          required: ['period', 'dueDate'],
          additionalProperties: false,
        },
      },
    },
    build: (_e, d) => ({
      periods: Array.isArray(d.after.reportingPeriods)
        ? (d.after.reportingPeriods as { period?: unknown; dueDate?: unknown }[]).map((p) => ({
            period: text(p.period) ?? '',
            dueDate: text(p.dueDate) ?? '',
          }))
        : null,
    }),
  },
  addMilestone: {
    detailType: 'MilestoneAdded',
    description: 'A milestone (entityId) was added to a measure.',
    data: { measureId: str, planId: str, title: str, dueDate: date },
    build: (e, d) => ({ ...measurePart(e), title: text(d.after.title) ?? '', dueDate: text(d.after.dueDate) ?? '' }),
  },
  updateMilestone: {
    detailType: 'MilestoneUpdated',
    description: "A milestone's (entityId) title or due date changed.",
    data: { measureId: str, planId: str, ...updated(MILESTONE_PUBLIC, { title: str, dueDate: date }) },
    build: (e, d) => ({ ...measurePart(e), changedFields: changedFields(d), changes: changedPublic(d, MILESTONE_PUBLIC) }),
  },
  completeMilestone: {
    detailType: 'MilestoneCompleted',
    description: 'A milestone (entityId) was done on a day.',
    data: { measureId: str, planId: str, doneOn: date },
    build: (e, d) => ({ ...measurePart(e), doneOn: text(d.after.doneOn) ?? '' }),
  },
  defineIndicator: {
    detailType: 'IndicatorDefined',
    description: 'An indicator (entityId) of a measure was defined.',
    data: {
      measureId: str,
      planId: str,
      name: str,
      unit: str,
      baseline: { type: 'number' },
      target: { type: 'number' },
      direction: { enum: ['INCREASE', 'DECREASE'] },
    },
    build: (e, d) => ({
      ...measurePart(e),
      name: text(d.after.name) ?? '',
      unit: text(d.after.unit) ?? '',
      baseline: typeof d.after.baseline === 'number' ? d.after.baseline : 0,
      target: typeof d.after.target === 'number' ? d.after.target : 0,
      direction: d.after.direction,
    }),
  },
  recordIndicatorValue: {
    detailType: 'IndicatorValueRecorded',
    description: 'A value of an indicator (entityId) was recorded for a period (the comment is read through the API).',
    data: { measureId: str, planId: str, period: { type: 'string', pattern: '^\\d{4}(-(H[12]|Q[1-4]))?$' }, value: { type: 'number' } },
    build: (e) => {
      const value = fact(e, 'value');
      return { ...measurePart(e), period: text(fact(e, 'period')) ?? '', value: typeof value === 'number' ? value : 0 };
    },
  },
  createBudgetLine: {
    detailType: 'BudgetLineCreated',
    description: 'A budget line (kapittel/post) was created.',
    data: { fiscalYear: int, agencyId: str, chapter: int, post: int, title: str, appropriated: money },
    build: (_e, d) => ({
      fiscalYear: integer(d.after.fiscalYear) ?? 0,
      agencyId: text(d.after.agencyId) ?? '',
      chapter: integer(d.after.chapter) ?? 0,
      post: integer(d.after.post) ?? 0,
      title: text(d.after.title) ?? '',
      appropriated: text(d.after.appropriated) ?? '0',
    }),
  },
  reviseBudgetLine: {
    detailType: 'BudgetLineRevised',
    description: "A budget line's (entityId) appropriation was revised (the reason is read through the API).",
    data: { previous: money, appropriated: money, decidedOn: date, version: int },
    build: (_e, d) => ({
      previous: text(d.before.appropriated) ?? '0',
      appropriated: text(d.after.appropriated) ?? '0',
      decidedOn: text(d.after.decidedOn) ?? '',
      version: integer(d.after.version) ?? 0,
    }),
  },
  allocateFunds: {
    detailType: 'FundsAllocated',
    description: 'Money was allocated from a budget line (entityId is the allocation).',
    data: { budgetLineId: str, measureId: nullableStr, recipientId: nullableStr, shelterId: nullableStr, amount: money },
    build: (_e, d) => ({
      budgetLineId: text(d.after.budgetLineId) ?? '',
      measureId: text(d.after.measureId),
      recipientId: text(d.after.recipientId),
      shelterId: text(d.after.shelterId),
      amount: text(d.after.amount) ?? '0',
    }),
  },
  recordDisbursement: {
    detailType: 'DisbursementRecorded',
    description: 'A payment was recorded against an allocation (entityId).',
    data: { disbursementId: str, date, amount: money },
    build: (_e, d) => ({
      disbursementId: text(d.after.disbursementId) ?? '',
      date: text(d.after.date) ?? '',
      amount: text(d.after.amount) ?? '0',
    }),
  },
  registerShelter: {
    detailType: 'ShelterRegistered',
    description: 'A shelter was registered (no name, municipality or address: a subscriber reads what its role may through the API).',
    data: { operatorId: str, region: str, targetGroups: strings, services: strings },
    build: (_e, d) => ({
      operatorId: text(d.after.operatorId) ?? '',
      region: text(d.after.region) ?? '',
      targetGroups: textList(d.after.targetGroups),
      services: textList(d.after.services),
    }),
  },
  updateShelter: {
    detailType: 'ShelterUpdated',
    description: "A shelter's profile changed (whether its address changed is never said).",
    data: updated(SHELTER_PUBLIC, { operatorId: str, region: str, targetGroups: strings, services: strings }),
    build: (_e, d) => ({ changedFields: changedFields(d, ['address']), changes: changedPublic(d, SHELTER_PUBLIC) }),
  },
  reportCapacity: {
    detailType: 'CapacityReported',
    description: 'A shelter (entityId) reported its capacity for a day. No occupancy figure, in any form.',
    data: { date, capacity: { type: 'integer', minimum: 0 }, replaced: { type: 'boolean' } },
    build: (e, d) => ({
      date: text(fact(e, 'date')) ?? '',
      capacity: integer(fact(e, 'capacity')) ?? 0,
      replaced: wasStored(d),
    }),
  },
  export: {
    detailType: 'DataExported',
    description: 'A reader exported a dataset (entityId `export:<dataset>`): which, with which filters and how many rows.',
    data: {
      dataset: str,
      filters: { type: 'object', additionalProperties: { type: 'string' } },
      dialect: str,
      rows: { type: 'integer', minimum: 0 },
    },
    build: (_e, d) => ({
      dataset: text(d.after.dataset) ?? '',
      filters: Object.fromEntries(
        Object.entries(typeof d.after.filters === 'object' && d.after.filters !== null ? d.after.filters : {}).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      ),
      dialect: text(d.after.dialect) ?? '',
      rows: integer(d.after.rows) ?? 0,
    }),
  },
  registerIntegration: {
    detailType: 'IntegrationRegistered',
    description:
      'A machine client (entityId, its OAuth client id) was registered with a role or an agency and its scopes (its name is read through the API).',
    data: { role: integrationRole, agencyId: nullableStr, scopes: integrationScopes },
    build: (e) => grantFacts(e),
  },
  updateIntegration: {
    detailType: 'IntegrationUpdated',
    description: "A machine client's (entityId) role, agency, scopes or name changed: its grant as it now stands.",
    data: { changedFields: strings, role: integrationRole, agencyId: nullableStr, scopes: integrationScopes },
    build: (e, d) => ({
      changedFields: changedFields(d).filter((f) => f !== 'version' && f !== 'updatedAt'),
      ...grantFacts(e),
    }),
  },
  revokeIntegration: {
    detailType: 'IntegrationRevoked',
    description: 'A machine client (entityId) was revoked: its tokens hold nothing from within a minute on.',
    data: {},
    build: () => ({}),
  },
  readAddress: {
    detailType: 'AddressRead',
    description: "A member of the operating agency read a shelter's (entityId) address: who (by agency) and when, never the address.",
    data: {},
    build: () => ({}),
  },
};

/** For an action no kind names (a writer newer than this table): the envelope only, no data. */
export const UNKNOWN_KIND: DetailKind = {
  detailType: 'ChangeRecorded',
  description: 'A change of an action this publisher does not know yet: ids, actor and time only.',
  data: {},
  build: () => ({}),
};

/** The event of one audit entry. */
export function changeEvent(entry: AuditRecord): ChangeEvent {
  const kind = Object.hasOwn(eventKinds, entry.action) ? (eventKinds[entry.action] ?? UNKNOWN_KIND) : UNKNOWN_KIND;
  const diff = parseDiff(entry.changes);
  return {
    detailType: kind.detailType,
    detail: {
      id: entry.id,
      action: entry.action,
      entityId: entry.entityId,
      occurredAt: entry.at,
      actor: { agencyId: entry.actor.agencyId, roles: [...entry.actor.roles] },
      agencyIds: [...entry.ownerAgencyIds],
      data: kind.build(entry, diff),
    },
  };
}

function parseDiff(changes: string | null): Diff {
  if (changes === null) return { before: {}, after: {} };
  const parsed: unknown = JSON.parse(changes);
  const side = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const p = side(parsed);
  return { before: side(p.before), after: side(p.after) };
}

/** The JSON Schema (draft 2020-12) of one detail type's `detail`, as docs/events/<DetailType>.schema.json holds it. */
export function detailSchema(kind: DetailKind): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `samordning:events:${kind.detailType}`,
    title: kind.detailType,
    description: `${kind.description} Delivered at least once: consumers dedupe on \`id\` (the audit entry's id).`,
    type: 'object',
    required: ['id', 'action', 'entityId', 'occurredAt', 'actor', 'agencyIds', 'data'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', minLength: 1, description: "The audit entry's id: the same on every delivery of this event" },
      action: kind === UNKNOWN_KIND ? str : { const: actionOf(kind) },
      entityId: { type: 'string', minLength: 1 },
      occurredAt: { type: 'string', format: 'date-time' },
      actor: {
        type: 'object',
        required: ['agencyId', 'roles'],
        additionalProperties: false,
        properties: {
          agencyId: nullableStr,
          roles: { type: 'array', items: { enum: ['COORDINATOR', 'AGENCY_EDITOR', 'FUNDER', 'VIEWER'] } },
        },
      },
      agencyIds: strings,
      data: { type: 'object', required: Object.keys(kind.data), additionalProperties: false, properties: kind.data },
    },
  };
}

function actionOf(kind: DetailKind): string {
  return Object.entries(eventKinds).find(([, k]) => k === kind)?.[0] ?? '';
}

/** Every detail type with its schema, by detail type: what docs/events/ holds. */
export function detailSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries([...Object.values(eventKinds), UNKNOWN_KIND].map((k) => [k.detailType, detailSchema(k)]));
}
