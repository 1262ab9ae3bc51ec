import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { as, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { scanAll } from '../support/scan.js';
import { createShelter } from '../support/shelters.js';

/**
 * Reads that each item of a list causes: the audit entries of address reads are written together,
 * one transaction per request; a Query per item (a shelter's reports) is counted, and bounded by the
 * cost limit rather than by the data.
 */
let env: TestEnvironment;
const OPERATOR_SHELTERS =
  'query ($first: Int) { shelters(filter: { operatorId: "kirkens-bymisjon" }, first: $first) { edges { node { id address } } } }';

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  for (const name of ['Liste 1', 'Liste 2', 'Liste 3', 'Liste 4']) await createShelter(env.handler, { name, region: 'Rogaland' });
}, 180_000);

describe('requests caused by the items of a list', () => {
  it('the address reads of a page are audited in one transaction, one entry per address', async () => {
    const before = (await scanAll(env, env.names.audit)).filter((i) => i.action === 'readAddress').length;
    const { result, requests } = await env.countRequests(() => executeText(env.handler, as.otherAgency, OPERATOR_SHELTERS, { first: 10 }));
    expect(result.errors).toBeUndefined();
    const shown = (result.data as { shelters: { edges: { node: { address: string | null } }[] } }).shelters.edges;
    const withAddress = shown.filter((e) => e.node.address !== null).length;
    expect(withAddress).toBeGreaterThanOrEqual(4);
    // listing page · profiles · every address read's entry in one transaction
    expect(requests.sort()).toEqual(['BatchGetItem', 'Query', 'TransactWriteItems']);
    const after = (await scanAll(env, env.names.audit)).filter(
      (i) => i.action === 'readAddress' && !String(i.pk).includes('#OWNER#'),
    ).length;
    expect(after - before).toBe(withAddress);
  });

  it('a page of shelters with their reports costs one Query per shelter, and the cost limit bounds the page', async () => {
    const query =
      'query { shelters(filter: { region: "Rogaland" }) { edges { node { id capacityReports { edges { node { date } } } } } } }';
    const { result, requests } = await env.countRequests(() => executeText(env.handler, as.funder, query));
    expect(result.errors).toBeUndefined();
    // listing page · profiles · one page of reports per shelter
    expect(requests.filter((r) => r === 'Query')).toHaveLength(1 + 4);
    expect(requests.filter((r) => r === 'BatchGetItem')).toHaveLength(1);
    // At the largest page a shelter list allows, the same shape is over the cost limit (every page counted at its largest).
    const nested = 'query { shelters(first: 100) { edges { node { id capacityReports { edges { node { date } } } } } } }';
    const refused = await executeText(env.handler, as.funder, nested);
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.message).toMatch(/cost/i);
  });
});
