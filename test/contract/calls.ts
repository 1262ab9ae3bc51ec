import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DocumentNode, Kind, parse, print } from 'graphql';
import { expect } from 'vitest';
import * as generated from '../../client/generated/graphql.js';
import { MeasureDetailDocument } from '../../client/generated/graphql.js';
import { as, type Caller, execute, type GraphQLResponse } from '../support/api.js';
import type { Handler } from '../support/environment.js';

/** The names of the contract's operations (test/contract/operations.graphql), in its order. */
export const contractOperationNames = parse(readFileSync(join(import.meta.dirname, 'operations.graphql'), 'utf8')).definitions.flatMap(
  (d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : []),
);

/**
 * The contract's operations as a client sends them: graphql's `print` of each generated typed document. Other
 * documents that codegen generates (the web app's own) are not the contract's.
 */
export const contractOperations = contractOperationNames.flatMap((name) => {
  const document = (generated as Record<string, unknown>)[`${name}Document`];
  return document ? [{ name, printed: print(document as DocumentNode) }] : [];
});

/** What a call of a contract operation answers: data without an error, or the one error its resolver raises. */
export type Expected = 'ok' | { readonly code: string; readonly field: string };

export interface ContractCall {
  readonly caller: Caller;
  readonly variables: Record<string, unknown>;
  readonly expected: Expected;
}

/** A budget line and an allocation on it that the coordinator may write on; without them the money writes find nothing. */
export interface Funding {
  readonly budgetLineId: string;
  readonly allocationId: string;
}

const PLAN = 'hp-2011-2014';
/** A seeded measure no test of the contract's files reads for its own facts. */
const MEASURE = 'hp-2011-2014-kom';
/** The seeded shelter, run by Kirkens Bymisjon (`as.otherAgency`). */
const SHELTER = 'lauras-hus';

/**
 * A call of each contract operation with variables its resolver accepts, over the seed, as a caller
 * with the right to it: each reaches its resolver, and answers what `expected` says. The money writes
 * need a budget line, which no contract operation creates: given `funding`, they land; without it
 * (where only the contract's documents are accepted), they reach the resolver and find no line.
 * Writes are repeatable: each call reads what it must match (a version) just before.
 */
export async function contractCall(handler: Handler, operation: string, funding?: Funding): Promise<ContractCall> {
  switch (operation) {
    case 'Viewer':
      return { caller: as.viewer, variables: {}, expected: 'ok' };
    case 'PlanOverview':
      return { caller: as.viewer, variables: { planId: PLAN }, expected: 'ok' };
    case 'AgencyResponsibilities':
      return { caller: as.viewer, variables: { agencyId: 'nav', role: 'SHARED' }, expected: 'ok' };
    case 'MeasureDetail':
      return { caller: as.viewer, variables: { id: MEASURE }, expected: 'ok' };
    case 'UpdateMeasure': {
      const current = await execute(handler, as.viewer, MeasureDetailDocument, { id: MEASURE });
      const version = current.data?.measure?.version;
      if (version === undefined) throw new Error(`MeasureDetail of ${MEASURE} failed: ${current.raw}`);
      return {
        caller: as.coordinator,
        variables: { input: { id: MEASURE, expectedVersion: version, description: 'Oppdatert gjennom kontraktens operasjon.' } },
        expected: 'ok',
      };
    }
    case 'AssignResponsibility':
      return { caller: as.coordinator, variables: { input: { measureId: MEASURE, agencyId: 'bld', role: 'SHARED' } }, expected: 'ok' };
    case 'SubmitStatusReport':
      return {
        caller: as.coordinator,
        variables: { input: { measureId: MEASURE, period: '2012-H2', status: 'IN_PROGRESS', progressPercent: 30, summary: 'I rute.' } },
        expected: 'ok',
      };
    case 'Shelters':
      return { caller: as.funder, variables: { filter: { region: 'Oslo' } }, expected: 'ok' };
    case 'ShelterForOperator':
      return { caller: as.otherAgency, variables: { id: SHELTER }, expected: 'ok' };
    case 'ReportCapacity':
      return {
        caller: as.otherAgency,
        variables: { input: { shelterId: SHELTER, date: '2013-02-04', capacity: 12, occupied: 7 } },
        expected: 'ok',
      };
    case 'CapacityTimeline':
      return { caller: as.funder, variables: { filter: { from: '2013-01-01', to: '2013-12-31', granularity: 'QUARTER' } }, expected: 'ok' };
    case 'BudgetLines':
      return { caller: as.funder, variables: { fiscalYear: 2012 }, expected: 'ok' };
    case 'FundingSummary':
      return { caller: as.funder, variables: { planId: PLAN, groupBy: 'MEASURE', fiscalYear: 2012 }, expected: 'ok' };
    case 'AllocateFunds':
      return {
        caller: as.coordinator,
        variables: {
          input: {
            budgetLineId: funding?.budgetLineId ?? 'no-such-line',
            amount: '10.00',
            measureId: MEASURE,
            idempotencyKey: `contract-${Math.random().toString(36).slice(2)}`,
          },
        },
        expected: funding ? 'ok' : { code: 'NOT_FOUND', field: 'budgetLineId' },
      };
    case 'RecordDisbursement':
      return {
        caller: as.coordinator,
        variables: {
          input: {
            allocationId: funding?.allocationId ?? 'no-such-allocation',
            date: '2012-03-01',
            amount: '0.01',
            idempotencyKey: `contract-${Math.random().toString(36).slice(2)}`,
          },
        },
        expected: funding ? 'ok' : { code: 'NOT_FOUND', field: 'allocationId' },
      };
    case 'AuditTrail':
      return { caller: as.coordinator, variables: { entityId: MEASURE }, expected: 'ok' };
    default:
      throw new Error(`No call is written for the contract operation ${operation}: add one.`);
  }
}

/** The answer is the one `expected` names: data and no error, or exactly the one error its resolver raises, with its field. */
export function expectAnswer(res: GraphQLResponse<unknown>, expected: Expected) {
  expect(res.status, res.raw).toBe(200);
  if (expected === 'ok') expect(res.errors, res.raw).toBeUndefined();
  else
    expect(
      res.errors?.map((e) => ({ code: e.extensions?.code, field: e.extensions?.field })),
      res.raw,
    ).toEqual([expected]);
}
