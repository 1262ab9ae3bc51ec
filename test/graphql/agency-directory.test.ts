import { beforeAll, describe, expect, it } from 'vitest';
import { AgencyRecordDocument, CreateAgencyDocument, UpdateAgencyDocument } from '../../client/generated/graphql.js';
import { loadSeed } from '../../data/load-seed.js';
import { isOrganizationNumber } from '../../functions/agencies/agencies.model.js';
import { groupDirectory } from '../../functions/agencies/groups.js';
import { as, execute } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';
import { createShelter } from '../support/shelters.js';

let env: TestEnvironment;
let n = 0;
const freshId = (stem: string) => `${stem}-${n++}-${Date.now().toString(36)}`;
/** Brønnøysundregistrene's own number: a real organisasjonsnummer with a right control digit. */
const VALID = '974760673';

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
});

const read = async (id: string, asOf?: string) =>
  (await execute(env.handler, as.coordinator, AgencyRecordDocument, { id, ...(asOf ? { asOf } : {}) })).data?.agency ?? null;

describe('the agency directory, managed by the coordinator', () => {
  it('adds a new NGO whose staff can then register a shelter', async () => {
    const id = freshId('stiftelsen-ny');
    const created = await execute(env.handler, as.coordinator, CreateAgencyDocument, {
      input: {
        id,
        name: 'Stiftelsen Ny Start',
        shortName: 'Ny Start',
        kind: 'NGO',
        organizationNumber: '974 760 673',
        contactEmail: 'post@example.org',
      },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data?.createAgency.agency).toMatchObject({
      id,
      name: 'Stiftelsen Ny Start',
      names: [{ name: 'Stiftelsen Ny Start', validFrom: null }],
      organizationNumber: VALID,
      contactEmail: 'post@example.org',
      version: 1,
    });
    const staff = { groups: [`agency:${id}`], subject: `user-${id}` };
    const shelterId = await createShelter(env.handler, { operatorId: id, name: 'Nytt hus' }, staff);
    expect(shelterId).not.toBe('');
    // Only the coordinator and the agency itself read where reminders go.
    const funder = await execute(env.handler, as.funder, AgencyRecordDocument, { id });
    expect(funder.data?.agency).toMatchObject({ name: 'Stiftelsen Ny Start', contactEmail: null });
    const own = await execute(env.handler, staff, AgencyRecordDocument, { id });
    expect(own.data?.agency?.contactEmail).toBe('post@example.org');
  });

  it.each([
    ['a wrong control digit', { organizationNumber: '974760674' }, 'organizationNumber'],
    ['eight digits', { organizationNumber: '97476067' }, 'organizationNumber'],
    ['a control digit of 10', { organizationNumber: '800000050' }, 'organizationNumber'],
    ['all zeros (a right control digit, but nobody’s number)', { organizationNumber: '000000000' }, 'organizationNumber'],
    ['a first digit other than 8 or 9', { organizationNumber: '123456785' }, 'organizationNumber'],
    ['an id with capitals', { id: 'Stiftelsen' }, 'id'],
    ['an id in use', { id: 'nav' }, 'id'],
    ['a parent that does not exist', { parentId: 'finnes-ikke' }, 'parentId'],
    ['an address that is not one', { contactEmail: 'post at example.org' }, 'contactEmail'],
  ])('refuses %s with BAD_USER_INPUT on the field, and writes nothing', async (_what, patch, field) => {
    const id = freshId('avvist');
    const res = await execute(env.handler, as.coordinator, CreateAgencyDocument, { input: { id, name: 'Avvist', kind: 'NGO', ...patch } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await read(id)).toBeNull();
    if ('id' in patch && patch.id === 'nav') expect((await read('nav'))?.name).toBe('Arbeids- og velferdsdirektoratet');
  });

  it('has a deployed stage without its user pool refuse to make agencies nobody could sign in for', async () => {
    await expect(groupDirectory(undefined, 'prod', false).ensureAgencyGroup('ny', 'Ny')).rejects.toThrow(/USER_POOL_ID/);
    await expect(groupDirectory(undefined, 'prod', true).ensureAgencyGroup('ny', 'Ny')).resolves.toBeUndefined();
  });

  it('checks the modulus-11 control digit as the registers do', () => {
    for (const valid of [VALID, '983887457', '971526920']) expect(isOrganizationNumber(valid), valid).toBe(true);
    for (const invalid of ['974760670', '123456789', '98388745', 'abcdefghi', '000000000', '123456785'])
      expect(isOrganizationNumber(invalid), invalid).toBe(false);
  });

  it('keeps a parent chain without cycles', async () => {
    const top = freshId('topp');
    const middle = freshId('midt');
    await execute(env.handler, as.coordinator, CreateAgencyDocument, { input: { id: top, name: 'Topp', kind: 'MINISTRY' } });
    const child = await execute(env.handler, as.coordinator, CreateAgencyDocument, {
      input: { id: middle, name: 'Midt', kind: 'DIRECTORATE', parentId: top },
    });
    expect(child.data?.createAgency.agency.parent).toEqual({ id: top, name: 'Topp' });
    const cycle = await execute(env.handler, as.coordinator, UpdateAgencyDocument, {
      input: { id: top, expectedVersion: 1, parentId: middle },
    });
    expect(cycle.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    const self = await execute(env.handler, as.coordinator, UpdateAgencyDocument, {
      input: { id: top, expectedVersion: 1, parentId: top },
    });
    expect(self.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    expect((await read(top))?.parent).toBeNull();
  });

  it('keeps the name history: JD as it was called on a date, and a validFrom out of order refused', async () => {
    const jd = await read('jd');
    const renamed = await execute(env.handler, as.coordinator, UpdateAgencyDocument, {
      input: { id: 'jd', expectedVersion: jd?.version ?? 0, name: 'Justis- og beredskapsdepartementet', nameValidFrom: '2012-01-01' },
    });
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data?.updateAgency.agency).toMatchObject({
      name: 'Justis- og beredskapsdepartementet',
      names: [
        { name: 'Justis- og politidepartementet', validFrom: null },
        { name: 'Justis- og beredskapsdepartementet', validFrom: '2012-01-01' },
      ],
      version: (jd?.version ?? 0) + 1,
    });
    expect((await read('jd', '2011-12-31'))?.nameAsOf).toBe('Justis- og politidepartementet');
    expect((await read('jd', '2012-01-01'))?.nameAsOf).toBe('Justis- og beredskapsdepartementet');

    const early = await execute(env.handler, as.coordinator, UpdateAgencyDocument, {
      input: { id: 'jd', expectedVersion: (jd?.version ?? 0) + 1, name: 'Et eldre navn', nameValidFrom: '2011-06-01' },
    });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'nameValidFrom' });
    const stale = await execute(env.handler, as.coordinator, UpdateAgencyDocument, {
      input: { id: 'jd', expectedVersion: jd?.version ?? 0, shortName: 'JD' },
    });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: (jd?.version ?? 0) + 1 });
    expect((await read('jd'))?.names).toHaveLength(2);
  });

  it('answers `name` without `asOf` with the name valid today, not one recorded ahead of its first day', async () => {
    const id = freshId('omdoept');
    const created = await execute(env.handler, as.coordinator, CreateAgencyDocument, {
      input: { id, name: 'Navn i dag', kind: 'NGO' },
    });
    expect(created.errors).toBeUndefined();
    const future = await execute(env.handler, as.coordinator, UpdateAgencyDocument, {
      input: { id, expectedVersion: 1, name: 'Navn 2099', nameValidFrom: '2099-01-01' },
    });
    expect(future.errors).toBeUndefined();
    expect(future.data?.updateAgency.agency.name).toBe('Navn i dag');
    expect((await read(id))?.name).toBe('Navn i dag');
    expect((await read(id, '2099-01-01'))?.nameAsOf).toBe('Navn 2099');
    expect((await read(id))?.names.map((n) => n.name)).toEqual(['Navn i dag', 'Navn 2099']);
  });
});
