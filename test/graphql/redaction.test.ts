import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { as, executeText, type GraphQLResponse } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { createShelter } from '../support/shelters.js';

/**
 * A shelter's address is confidential, and an error must never quote one: not from a variable, not
 * from a document, whatever punctuation the address holds to fool a redaction (`;` ended graphql-js's
 * quoted value for the old one).
 */
let env: TestEnvironment;
let shelterId = '';

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  shelterId = await createShelter(env.handler, { region: 'Hordaland', municipality: 'Bergen', address: 'Kjent vei 1' });
});

const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'];
const PARTS = ['Hemmelig', 'gate 9', '0150', 'Oslo'];
const addresses = (c: string) => [
  `Hemmelig gate 9${c} 0150 Oslo`,
  `Hemmelig${c}gate 9${c}${c} 0150${c}Oslo${c}`,
  `${c}Hemmelig gate 9 ${c}0150 Oslo`,
];

const REGISTER = 'mutation ($input: RegisterShelterInput!) { registerShelter(input: $input) { shelter { id } } }';
const REPORT = 'mutation ($input: ReportCapacityInput!) { reportCapacity(input: $input) { capacityReport { date } } }';
const ALLOCATE = 'mutation ($input: AllocateFundsInput!) { allocateFunds(input: $input) { allocation { id } } }';
const shelter = {
  name: 'Adressehuset',
  operatorId: 'kirkens-bymisjon',
  region: 'Hordaland',
  targetGroups: ['WOMEN'],
  services: ['SAFE_HOUSING'],
};
const literal = (value: string) => JSON.stringify(value);

/** Every place an error could quote the value, each sent with the address in it. */
const shapes: [string, (address: string) => Promise<GraphQLResponse<unknown>>][] = [
  [
    '{ address, bogus: 1 } as the input (the issue as reported)',
    (address) => executeText(env.handler, as.otherAgency, REGISTER, { input: { address, bogus: 1 } }),
  ],
  [
    'a whole input beside an unknown field',
    (address) => executeText(env.handler, as.otherAgency, REGISTER, { input: { ...shelter, address, bogus: 1 } }),
  ],
  [
    'the address as the name of an unknown field',
    (address) => executeText(env.handler, as.otherAgency, REGISTER, { input: { ...shelter, [address]: 1 } }),
  ],
  [
    'the address as an enum value',
    (address) => executeText(env.handler, as.otherAgency, REGISTER, { input: { ...shelter, targetGroups: [address] } }),
  ],
  ['the address as an object', (address) => executeText(env.handler, as.otherAgency, REGISTER, { input: address })],
  [
    'the address as an Int',
    (address) =>
      executeText(env.handler, as.otherAgency, REPORT, { input: { shelterId, date: '2013-01-07', capacity: address, occupied: 1 } }),
  ],
  [
    'the address as Money',
    (address) => executeText(env.handler, as.coordinator, ALLOCATE, { input: { idempotencyKey: 'k', budgetLineId: 'x', amount: address } }),
  ],
  [
    'the address written in the document as an enum value',
    (address) =>
      executeText(
        env.handler,
        as.otherAgency,
        `mutation { registerShelter(input: { name: "A", operatorId: "kirkens-bymisjon", region: "Hordaland", targetGroups: [${literal(address)}], services: [SAFE_HOUSING] }) { shelter { id } } }`,
      ),
  ],
  [
    'the address written in the document as an Int',
    (address) =>
      executeText(
        env.handler,
        as.otherAgency,
        `mutation { reportCapacity(input: { shelterId: ${literal(shelterId)}, date: "2013-01-07", capacity: ${literal(address)}, occupied: 1 }) { capacityReport { date } } }`,
      ),
  ],
  [
    'the address written in the document as Money',
    (address) =>
      executeText(
        env.handler,
        as.coordinator,
        `mutation { allocateFunds(input: { idempotencyKey: "k", budgetLineId: "x", amount: ${literal(address)} }) { allocation { id } } }`,
      ),
  ],
];

describe('an address in a refused request', () => {
  it('is quoted by graphql-js itself, so the cases below test something (the control)', async () => {
    const { execute, buildSchema, parse } = await import('graphql');
    const { typeDefs } = await import('../../functions/graphql/generated/type-defs.js');
    const res = await execute({
      schema: buildSchema(typeDefs),
      document: parse(REGISTER),
      variableValues: { input: { address: 'Hemmelig gate 9; 0150 Oslo', bogus: 1 } },
    });
    expect(res.errors?.[0]?.message).toContain('0150 Oslo');
  });

  it.each(shapes)('%s: refused, with no part of the address in the answer, whatever ASCII punctuation it holds', async (_name, send) => {
    for (const c of PUNCTUATION) {
      for (const address of addresses(c)) {
        const res = await send(address);
        expect(res.status, `${address}: ${res.raw}`).toBe(400);
        expect(res.errors?.length, address).toBeGreaterThan(0);
        expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'], res.raw).toContain(res.errors?.[0]?.extensions?.code);
        for (const part of PARTS) expect(res.raw, `${JSON.stringify(address)} leaked "${part}"`).not.toContain(part);
      }
    }
  });

  it('still says where and why', async () => {
    const res = await executeText(env.handler, as.otherAgency, REGISTER, {
      input: { ...shelter, address: 'Hemmelig gate 9; 0150 Oslo', bogus: 1 },
    });
    expect(res.errors?.[0]).toMatchObject({
      message: 'Variable "$input" got an invalid value; Field "bogus" is not defined by type "RegisterShelterInput".',
      extensions: { code: 'BAD_USER_INPUT', field: 'input' },
    });
    const enumRes = await executeText(env.handler, as.otherAgency, REGISTER, {
      input: { ...shelter, targetGroups: ['WOMEN', 'Hemmelig; gate'] },
    });
    expect(enumRes.errors?.[0]).toMatchObject({
      message: 'Variable "$input" got an invalid value at "input.targetGroups[1]"; Expected one of the values of enum "TargetGroup".',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.targetGroups[1]' },
    });
    const money = await executeText(env.handler, as.coordinator, ALLOCATE, {
      input: { idempotencyKey: 'k', budgetLineId: 'x', amount: '1.005' },
    });
    expect(money.errors?.[0]?.message).toMatch(
      /^Variable "\$input" got an invalid value at "input\.amount"; Expected type "Money"\. Money must be /,
    );
    expect(money.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
  });
});
