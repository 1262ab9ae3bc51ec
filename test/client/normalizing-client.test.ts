import { ApolloClient, type DocumentNode, HttpLink, InMemoryCache } from '@apollo/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as documents from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { typePolicies } from '../../web/src/apollo/cache.js';
import { contractCall, contractOperationNames, type Funding } from '../contract/calls.js';
import { apiEvent, as, type Caller, execute, send } from '../support/api.js';
import { consoleWarnings } from '../support/console.js';
import { createProductionEnvironment, type TestEnvironment } from '../support/environment.js';

/**
 * Apollo Client, with its normalized cache on, runs every document of client/operations/ against a
 * stage that accepts only trusted documents: the documents it sends (with __typename in every
 * selection set) are in the manifest, none is refused, and its cache warns of no lost data.
 */
let env: TestEnvironment;
let funding: Funding;

beforeAll(async () => {
  env = await createProductionEnvironment();
  await loadSeed(env.db());
  // Through the trusted documents themselves: no other document is accepted here.
  const line = await execute(env.handler, as.coordinator, documents.CreateBudgetLineDocument, {
    input: { fiscalYear: 2012, agencyId: 'ad', chapter: 640, post: 70, title: 'Tilskudd', appropriated: '10000.00' },
  });
  const budgetLineId = line.data?.createBudgetLine.budgetLine.id ?? '';
  const allocation = await execute(env.handler, as.coordinator, documents.AllocateFundsDocument, {
    input: { budgetLineId, amount: '100.00', measureId: 'hp-2011-2014-kom', idempotencyKey: 'normalizing-client-setup' },
  });
  funding = { budgetLineId, allocationId: allocation.data?.allocateFunds.allocation.id ?? '' };
  expect(funding.allocationId).not.toBe('');
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A client of one caller, whose requests go through the Lambda handler as API Gateway would send them. */
function clientOf(caller: Caller, statuses: number[]) {
  const fetchThroughHandler: typeof fetch = async (_input, init) => {
    const res = await send(env.handler, apiEvent(caller, { body: String(init?.body ?? '') }));
    statuses.push(res.status);
    return new Response(res.raw, { status: res.status, headers: { 'content-type': 'application/json' } });
  };
  return new ApolloClient({
    link: new HttpLink({ uri: 'http://api.test/graphql', fetch: fetchThroughHandler }),
    cache: new InMemoryCache({ typePolicies }),
  });
}

function documentOf(name: string): DocumentNode {
  const document = (documents as unknown as Record<string, DocumentNode | undefined>)[`${name}Document`];
  if (!document) throw new Error(`No generated document for ${name}`);
  return document;
}

/** Who runs each operation: one client per person, as in the web app: the coordinator, and a shelter's operator. */
const OPERATOR_OPERATIONS = new Set(['Shelters', 'ShelterForOperator', 'ReportCapacity', 'CapacityTimeline']);

describe('a normalizing client against a production stage', () => {
  it('runs every contract operation with its cache on: no 400, no error, no cache warning', async () => {
    const warnings = consoleWarnings();
    const statuses: number[] = [];
    const coordinator = clientOf(as.coordinator, statuses);
    const operator = clientOf(as.otherAgency, statuses);
    // Each operation twice, so every object is written again by every other selection of it.
    const runs = [...contractOperationNames, ...contractOperationNames];
    for (const name of runs) {
      const { variables, expected } = await contractCall(env.handler, name, funding);
      expect(expected, name).toBe('ok');
      const client = OPERATOR_OPERATIONS.has(name) ? operator : coordinator;
      const document = documentOf(name);
      const isMutation = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation');
      const result = isMutation
        ? await client.mutate({ mutation: document, variables })
        : await client.query({ query: document, variables, fetchPolicy: 'network-only' });
      expect(result.error, name).toBeUndefined();
      expect(result.data, name).toBeTruthy();
    }
    expect(statuses).toHaveLength(runs.length);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('runs every other document of client/operations/ too: no 400, no error, no cache warning', async () => {
    const warnings = consoleWarnings();
    const statuses: number[] = [];
    const coordinator = clientOf(as.coordinator, statuses);
    const operator = clientOf(as.otherAgency, statuses);
    const holder = clientOf({ groups: ['agency:ad'], subject: 'user-ad' }, statuses);
    const run = async (client: ApolloClient, name: string, variables: Record<string, unknown>) => {
      const document = documentOf(name);
      const isMutation = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation');
      const result = isMutation
        ? await client.mutate({ mutation: document, variables })
        : await client.query({ query: document, variables, fetchPolicy: 'network-only' });
      expect(result.error, name).toBeUndefined();
      return result.data as Record<string, Record<string, unknown>>;
    };
    await run(coordinator, 'Agencies', {});
    await run(coordinator, 'ActionPlans', {});
    await run(coordinator, 'PlanOverview', { planId: 'hp-2011-2014' });
    const created = await run(coordinator, 'CreateMeasure', { input: { planId: 'hp-2011-2014', title: 'Fra klienten', goalNumbers: [1] } });
    const measureId = String((created.createMeasure?.measure as { id?: string } | undefined)?.id);
    await run(coordinator, 'PlanGaps', { planId: 'hp-2011-2014', period: '2013' });
    await run(coordinator, 'AssignResponsibility', { input: { measureId, agencyId: 'nav', role: 'SHARED' } });
    await run(coordinator, 'MeasureDetail', { id: measureId });
    await run(coordinator, 'RemoveResponsibility', { input: { measureId, agencyId: 'nav' } });
    await run(coordinator, 'MeasureDetail', { id: measureId });
    await run(holder, 'CreateBudgetLine', {
      input: { fiscalYear: 2014, agencyId: 'ad', chapter: 641, post: 21, title: 'Drift', appropriated: '2500.00' },
    });
    await run(holder, 'BudgetLines', { fiscalYear: 2014, agencyId: 'ad' });
    const shelter = await run(operator, 'RegisterShelter', {
      input: { name: 'Klienthuset', operatorId: 'kirkens-bymisjon', region: 'Oslo', targetGroups: ['MEN'], services: ['SAFE_HOUSING'] },
    });
    const registered = (shelter.registerShelter?.shelter ?? {}) as { id?: string; version?: number };
    await run(operator, 'Shelters', { filter: { region: 'Oslo' } });
    await run(operator, 'UpdateShelter', { input: { id: registered.id, expectedVersion: registered.version, name: 'Klienthuset II' } });
    await run(operator, 'ShelterForOperator', { id: registered.id });
    expect(statuses.length).toBeGreaterThanOrEqual(15);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(warnings).toEqual([]);
  });
});
