import { readFileSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, getOperationAST, Kind, parse, print } from 'graphql';
import {
  AgencyResponsibilitiesDocument,
  AllocateFundsDocument,
  AssignResponsibilityDocument,
  AuditTrailDocument,
  BudgetLinesDocument,
  CapacityTimelineDocument,
  FundingSummaryDocument,
  MeasureDetailDocument,
  PlanOverviewDocument,
  RecordDisbursementDocument,
  ReportCapacityDocument,
  ShelterForOperatorDocument,
  SheltersDocument,
  SubmitStatusReportDocument,
  UpdateMeasureDocument,
  ViewerDocument,
} from '../client/generated/graphql.js';
import { createRepositories } from '../functions/app/context.js';
import type { Db } from '../functions/shared/db.js';
import { type Caller, callers } from './event.js';

/**
 * One operation of the contract as the benchmark runs it: who calls, and the variables of the k-th
 * call (warm-up calls included). Ids come from the synthetic set (data/synthetic.ts), which is the
 * same at every size for the ids used here. Mutations get fresh variables on every call (a new
 * idempotency key, a new date or period, a new measure–agency pair, the version read just before)
 * so that every call is a successful write. Reads use pages that are full at 1× already, so that
 * a page costs the same at both sizes.
 */
export interface OperationSpec {
  readonly name: string;
  readonly kind: 'query' | 'mutation';
  readonly query: string;
  readonly caller: Caller;
  /** Why the numbers of this operation may grow with the data (an unpaged list), if they may. */
  readonly grows?: string;
  /** Variables of call k; reads made here are not metered. */
  variables(k: number, db: () => Db): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** A CSV export (GET `path?query`) instead of a GraphQL operation. */
  readonly export?: { readonly path: string; readonly query: string };
}

/** A CSV export as the benchmark runs it: the whole dataset, so its requests grow with the data (pages of 1,000). */
function exportSpec(dataset: string, query: string, caller: Caller): OperationSpec {
  return {
    name: `GET /exports/${dataset}.csv`,
    kind: 'query',
    query: '',
    caller,
    variables: () => ({}),
    grows: 'an export is every row of its dataset, read 1,000 a Query',
    export: { path: `/exports/${dataset}.csv`, query },
  };
}

const PLAN = 'hp-2011-2014';
/** Measures without any responsibility in the synthetic set (every second one): new SHARED pairs for assignments. */
const UNHELD_MEASURES = Array.from({ length: 15 }, (_, i) => `synthetic-measure-${2 * i + 2}`);
const ASSIGNEES = ['ad', 'bld', 'fd', 'hod', 'krd', 'ud'];
/** Measures NAV leads in the synthetic set (every sixth): NAV may report on them and set their status. */
const NAV_LEADS = Array.from({ length: 5 }, (_, i) => `synthetic-measure-${6 * i + 1}`);
const PERIODS = [2011, 2012, 2013, 2014].flatMap((y) => [`${y}`, `${y}-H1`, `${y}-H2`, `${y}-Q1`, `${y}-Q2`, `${y}-Q3`, `${y}-Q4`]);

/** Calls per operation and size (warm-up included) that the pools of fresh mutation variables allow. */
export const MAX_CALLS = Math.min(UNHELD_MEASURES.length * ASSIGNEES.length, NAV_LEADS.length * PERIODS.length, 365);

function day(start: string, offset: number): string {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

function pick<T>(list: readonly T[], index: number, what: string): T {
  const value = list[index];
  if (value === undefined) throw new Error(`The benchmark ran out of ${what} (call ${index}): raise the pool or lower the iterations.`);
  return value;
}

function spec(
  document: TypedDocumentNode<unknown, never> | DocumentNode,
  caller: Caller,
  variables: OperationSpec['variables'],
  grows?: string,
): OperationSpec {
  const operation = getOperationAST(document as DocumentNode);
  if (!operation?.name) throw new Error('A contract operation without a name');
  return {
    name: operation.name.value,
    kind: operation.operation === 'mutation' ? 'mutation' : 'query',
    query: print(document as DocumentNode),
    caller,
    variables,
    ...(grows ? { grows } : {}),
  };
}

export function operationSpecs(runId: string): OperationSpec[] {
  const key = (k: number) => `bench-${runId}-${k}`;
  return [
    spec(ViewerDocument, callers.agency('nav'), () => ({})),
    spec(PlanOverviewDocument, callers.viewer, () => ({ planId: PLAN, first: 20 })),
    // NAV's SHARED responsibilities: its three seed measures, then synthetic ones, at either size.
    spec(AgencyResponsibilitiesDocument, callers.viewer, () => ({ agencyId: 'nav', role: 'SHARED', first: 10 })),
    spec(MeasureDetailDocument, callers.viewer, () => ({ id: 'synthetic-measure-1' })),
    spec(UpdateMeasureDocument, callers.coordinator, async (k, db) => {
      const id = 'synthetic-measure-2';
      const measure = await createRepositories(db()).plans.measure(id);
      if (!measure) throw new Error(`${id} is missing`);
      return { input: { id, expectedVersion: measure.version, title: `[Syntetisk] Tiltak 2, endring ${k + 1}` } };
    }),
    spec(AssignResponsibilityDocument, callers.coordinator, (k) => ({
      input: {
        measureId: pick(UNHELD_MEASURES, k % UNHELD_MEASURES.length, 'measures'),
        agencyId: pick(ASSIGNEES, Math.floor(k / UNHELD_MEASURES.length), 'measure–agency pairs'),
        role: 'SHARED',
      },
    })),
    spec(SubmitStatusReportDocument, callers.agency('nav'), (k) => ({
      input: {
        measureId: pick(NAV_LEADS, Math.floor(k / PERIODS.length), 'measure–period pairs'),
        period: pick(PERIODS, k % PERIODS.length, 'periods'),
        status: 'IN_PROGRESS',
        progressPercent: k % 101,
        summary: `[Syntetisk] Rapport ${k + 1} fra benchmark`,
      },
    })),
    spec(SheltersDocument, callers.funder, () => ({ first: 20 })),
    spec(ShelterForOperatorDocument, callers.agency('synthetic-operator-1'), () => ({ id: 'synthetic-shelter-1' })),
    // Shelter 2 is operated by synthetic-operator-2; its own reports end in December 2011, so each day from 2012 is new.
    spec(ReportCapacityDocument, callers.agency('synthetic-operator-2'), (k) => ({
      input: { shelterId: 'synthetic-shelter-2', date: day('2012-01-02', k), capacity: 7, occupied: k % 8 },
    })),
    spec(CapacityTimelineDocument, callers.funder, () => ({
      filter: { from: '2011-01-01', to: '2011-12-31', granularity: 'MONTH', region: 'Oslo' },
    })),
    spec(
      BudgetLinesDocument,
      callers.funder,
      () => ({ fiscalYear: 2012, agencyId: 'ad' }),
      'unpaged: every line of the year and agency, so the capacity read grows with the lines',
    ),
    spec(FundingSummaryDocument, callers.funder, () => ({ planId: PLAN, fiscalYear: 2012, groupBy: 'AGENCY' })),
    // synthetic-line-1 is held by jd (fiscal year 2011); its allocations include synthetic-alloc-1-1.
    spec(AllocateFundsDocument, callers.agency('jd'), (k) => ({
      input: {
        idempotencyKey: key(k),
        budgetLineId: 'synthetic-line-1',
        amount: '1.00',
        measureId: 'synthetic-measure-1',
        recipientId: 'nav',
      },
    })),
    spec(RecordDisbursementDocument, callers.agency('jd'), (k) => ({
      input: { idempotencyKey: key(k), allocationId: 'synthetic-alloc-1-1', amount: '1.00', date: day('2011-01-01', k % 365) },
    })),
    spec(AuditTrailDocument, callers.coordinator, () => ({ entityId: 'synthetic-measure-1', first: 20 })),
    exportSpec('budget-lines', 'fiscalYear=2012', callers.funder),
    exportSpec('allocations', 'fiscalYear=2012&dialect=excel-nb', callers.funder),
    exportSpec('disbursements', 'fiscalYear=2012', callers.funder),
    exportSpec('funding-summary', `planId=${PLAN}&groupBy=BUDGET_LINE&fiscalYear=2012`, callers.funder),
    exportSpec('capacity-timeline', 'from=2011-01-01&to=2011-12-31&granularity=MONTH&region=Oslo', callers.funder),
  ];
}

/** The names of the operations in the contract's operations file, in order. */
export function contractOperationNames(file: string): string[] {
  return parse(readFileSync(file, 'utf8'))
    .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => d.name?.value ?? '(anonymous)');
}
