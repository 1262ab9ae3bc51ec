import { beforeAll, describe, expect, it } from 'vitest';
import { RegionsDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { regions } from '../../functions/shelters/shelters.model.js';
import { as, execute, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { REGISTER } from '../support/shelters.js';

/**
 * The counties come from one list: `Query.regions` (the document the web sends) answers the list the server
 * checks a shelter's region against, so what the web offers is exactly what registerShelter accepts.
 */
let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

const register = (region: string, name: string) =>
  executeText(env.handler, as.otherAgency, REGISTER, {
    input: {
      name,
      operatorId: 'kirkens-bymisjon',
      region,
      municipality: 'Et sted',
      address: 'Hemmeligveien 1, 0150 Oslo',
      targetGroups: ['WOMEN'],
      services: ['SAFE_HOUSING'],
    },
  });

describe('the counties', () => {
  it('are the list the server holds, the same for every role', async () => {
    for (const caller of [as.coordinator, as.nav, as.otherAgency, as.funder, as.viewer]) {
      const res = await execute(env.handler, caller, RegionsDocument, {});
      expect(res.errors).toBeUndefined();
      expect(res.data?.regions).toEqual([...regions]);
    }
  });

  it('are each accepted as a shelter’s region, and a name not on the list is refused', async () => {
    const listed = (await execute(env.handler, as.otherAgency, RegionsDocument, {})).data?.regions ?? [];
    expect(listed.length).toBeGreaterThan(0);
    for (const [i, region] of listed.entries()) {
      const res = await register(region, `Fylkeshuset ${i}`);
      expect(res.errors, `${region}: ${JSON.stringify(res.errors)}`).toBeUndefined();
    }
    const refused = await register('Olso', 'Feilstavet');
    expect(refused.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'region' })]);
  });
});
