import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ActionPlansDocument,
  AgenciesDocument,
  CreateBudgetLineDocument,
  CreateMeasureDocument,
  IntegrationDocument,
  IntegrationsDocument,
  PlanGapsDocument,
  RegisterIntegrationDocument,
  RegisterShelterDocument,
  RemoveResponsibilityDocument,
  RevokeIntegrationDocument,
  UpdateIntegrationDocument,
  UpdateShelterDocument,
  ViewerAccessDocument,
} from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { typeDefs } from '../../functions/graphql/generated/type-defs.js';
import { as, execute } from '../support/api.js';
import { createProductionEnvironment, type TestEnvironment } from '../support/environment.js';

/**
 * client/operations/ holds a document for every root field of Query and Mutation, so that a stage
 * that accepts only trusted documents leaves no part of the API unusable; each runs there.
 */
const root = join(import.meta.dirname, '../..');
let env: TestEnvironment;

beforeAll(async () => {
  env = await createProductionEnvironment();
  await loadSeed(env.db());
});

describe('the client operations', () => {
  it('ask for every root field of Query and Mutation', () => {
    const schema = buildSchema(typeDefs);
    const asked = new Set<string>();
    const dir = join(root, 'client/operations');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.graphql'))) {
      for (const definition of parse(readFileSync(join(dir, file), 'utf8')).definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const type = (definition as OperationDefinitionNode).operation === 'mutation' ? 'Mutation' : 'Query';
        for (const selection of definition.selectionSet.selections)
          if (selection.kind === Kind.FIELD) asked.add(`${type}.${selection.name.value}`);
      }
    }
    const fields = ['Query', 'Mutation'].flatMap((type) =>
      Object.keys(schema.getRootType(type === 'Query' ? ('query' as never) : ('mutation' as never))?.getFields() ?? {}).map(
        (f) => `${type}.${f}`,
      ),
    );
    expect(fields.length).toBeGreaterThan(20);
    expect(fields.filter((f) => !asked.has(f))).toEqual([]);
  });

  it('beyond the contract, each runs where only trusted documents are accepted', async () => {
    const agencies = await execute(env.handler, as.viewer, AgenciesDocument);
    expect(agencies.errors).toBeUndefined();
    expect(agencies.data?.agencies.map((a) => a.id)).toContain('nav');

    const plans = await execute(env.handler, as.funder, ActionPlansDocument);
    expect(plans.data?.actionPlans.map((p) => p.id)).toEqual(['hp-2011-2014']);

    const created = await execute(env.handler, as.coordinator, CreateMeasureDocument, {
      input: { planId: 'hp-2011-2014', title: 'Nytt tiltak', goalNumbers: [2] },
    });
    expect(created.errors).toBeUndefined();
    const measureId = created.data?.createMeasure.measure.id ?? '';
    expect(created.data?.createMeasure.measure.goals.map((g) => g.number)).toEqual([2]);

    const gaps = await execute(env.handler, as.coordinator, PlanGapsDocument, { planId: 'hp-2011-2014', period: '2012' });
    expect(gaps.data?.actionPlan?.measuresWithoutLead.map((m) => m.id)).toContain(measureId);
    expect(gaps.data?.actionPlan?.measuresMissingReport.map((m) => m.id)).toContain(measureId);

    const removed = await execute(env.handler, as.coordinator, RemoveResponsibilityDocument, {
      input: { measureId: 'hp-2011-2014-botilbud', agencyId: 'nav' },
    });
    expect(removed.errors).toBeUndefined();
    expect(removed.data?.removeResponsibility.responsibility).toBeNull();
    expect(removed.data?.removeResponsibility.measure.responsibilities.map((r) => r.agency.id)).not.toContain('nav');

    const line = await execute(env.handler, { groups: ['agency:ad'], subject: 'user-ad' }, CreateBudgetLineDocument, {
      input: { fiscalYear: 2013, agencyId: 'ad', chapter: 621, post: 70, title: 'Tilskudd', appropriated: '500000.00' },
    });
    expect(line.errors).toBeUndefined();
    expect(line.data?.createBudgetLine.budgetLine.appropriated).toBe('500000.00');

    const shelter = await execute(env.handler, as.otherAgency, RegisterShelterDocument, {
      input: { name: 'Prodhuset', operatorId: 'kirkens-bymisjon', region: 'Oslo', targetGroups: ['WOMEN'], services: ['SAFE_HOUSING'] },
    });
    expect(shelter.errors).toBeUndefined();
    const registered = shelter.data?.registerShelter.shelter;
    const updated = await execute(env.handler, as.otherAgency, UpdateShelterDocument, {
      input: { id: registered?.id ?? '', expectedVersion: registered?.version ?? 0, name: 'Prodhuset II' },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data?.updateShelter.shelter).toMatchObject({ name: 'Prodhuset II', version: 2 });
  });

  it("the integrations registry's, and an integration's own view of its access, run there too", async () => {
    const clientId = 'prodjob00000000000000000aa';
    const registered = await execute(env.handler, as.coordinator, RegisterIntegrationDocument, {
      input: { clientId, name: 'Prodjobb', role: 'FUNDER', scopes: ['READ'] },
    });
    expect(registered.errors).toBeUndefined();
    const listed = await execute(env.handler, as.coordinator, IntegrationsDocument);
    expect(listed.data?.integrations.map((i) => i.clientId)).toEqual([clientId]);
    const job = { groups: [], subject: clientId, extraClaims: { client_id: clientId, scope: 'samordning/read' } };
    const access = await execute(env.handler, job, ViewerAccessDocument);
    expect(access.data?.viewer).toMatchObject({ roles: ['FUNDER'], scopes: ['READ'], integration: { clientId, status: 'ACTIVE' } });
    const updated = await execute(env.handler, as.coordinator, UpdateIntegrationDocument, {
      input: { clientId, expectedVersion: 1, name: 'Prodjobben' },
    });
    expect(updated.data?.updateIntegration.integration).toMatchObject({ name: 'Prodjobben', version: 2 });
    const revoked = await execute(env.handler, as.coordinator, RevokeIntegrationDocument, { input: { clientId, expectedVersion: 2 } });
    expect(revoked.data?.revokeIntegration.integration.status).toBe('REVOKED');
    const one = await execute(env.handler, as.coordinator, IntegrationDocument, { clientId });
    expect(one.data?.integration?.version).toBe(3);
  });
});
