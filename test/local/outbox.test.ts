import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { ROOT } from '../../local/paths.js';

const run = promisify(execFile);
const ADDRESS = 'Lønnligveien 3, 0450 Oslo';

/**
 * `npm start` as a person runs it (over the test run's DynamoDB Local, with tables and an outbox of its own):
 * its stream follower writes the change events to $OUTBOX_DIR/events.ndjson, and `npm run reminders` writes the
 * digests under $OUTBOX_DIR/mail/.
 */
let server: ChildProcess;
let url: string;
let env: NodeJS.ProcessEnv;
let outbox: string;
let output = '';

beforeAll(async () => {
  const port = await freePort();
  outbox = mkdtempSync(join(tmpdir(), 'samordning-outbox-'));
  env = {
    ...process.env,
    PORT: String(port),
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    TABLE_PREFIX: `outbox-${randomBytes(3).toString('hex')}`,
    OUTBOX_DIR: outbox,
  };
  server = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--in-memory'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 280_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Samordning (stage')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout?.on('data', read);
    server.stderr?.on('data', read);
    server.once('exit', (code) => reject(new Error(`npm start ended (${code}):\n${output}`)));
  });
  url = `http://localhost:${port}`;
}, 300_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
});

async function token(as: string): Promise<string> {
  const res = await fetch(`${url}/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ as }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function graphql<T>(as: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(as)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

interface Line {
  id: string;
  'detail-type': string;
  source: string;
  detail: { id: string; entityId: string; data: Record<string, unknown>; actor: { agencyId: string | null } };
}

const lines = (): Line[] => {
  const file = join(outbox, 'events.ndjson');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line)
    : [];
};

async function waitFor(match: (l: Line) => boolean, ms: number): Promise<{ line: Line | undefined; waited: number }> {
  const start = Date.now();
  for (;;) {
    const line = lines().find(match);
    if (line || Date.now() - start > ms) return { line, waited: Date.now() - start };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function reminders(asOf: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/reminders.ts', '--as-of', asOf], {
    cwd: ROOT,
    env: { ...env, COORDINATOR_EMAIL: 'koordinator@jd.example' },
    timeout: 120_000,
  });
  return stdout;
}

const mails = () => (existsSync(join(outbox, 'mail')) ? readdirSync(join(outbox, 'mail')).sort() : []);

describe('npm start: change events in the outbox', () => {
  it('writes a submitted report to events.ndjson within 10 seconds, matching its JSON Schema', async () => {
    await graphql('agency:nav', 'mutation ($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { measure { id } } }', {
      input: {
        measureId: 'hp-2011-2014-nav-kontor',
        period: '2012',
        status: 'IN_PROGRESS',
        progressPercent: 40,
        summary: 'Veileder sendt ut',
      },
    });
    const { line, waited } = await waitFor(
      (l) =>
        l['detail-type'] === 'StatusReportSubmitted' && l.detail.entityId === 'hp-2011-2014-nav-kontor' && l.detail.data.period === '2012',
      10_000,
    );
    console.info(`StatusReportSubmitted in events.ndjson after ${waited} ms`);
    expect(line, output).toBeDefined();
    expect(line?.source).toBe('samordning');
    expect(line?.id).toBe(line?.detail.id);
    expect(line?.detail.actor.agencyId).toBe('nav');
    const ajv = new Ajv2020({ strict: true });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'events', 'StatusReportSubmitted.schema.json'), 'utf8')));
    expect(validate(line?.detail), JSON.stringify(validate.errors)).toBe(true);
  });

  it('puts no address and no occupancy in any event of the run', async () => {
    const { registerShelter } = await graphql<{ registerShelter: { shelter: { id: string } } }>(
      'agency:kirkens-bymisjon',
      'mutation ($input: RegisterShelterInput!) { registerShelter(input: $input) { shelter { id } } }',
      {
        input: {
          name: 'Utboks-huset',
          operatorId: 'kirkens-bymisjon',
          region: 'Oslo',
          municipality: 'Oslo',
          address: ADDRESS,
          targetGroups: ['WOMEN'],
          services: ['SAFE_HOUSING'],
        },
      },
    );
    const shelterId = registerShelter.shelter.id;
    await graphql(
      'agency:kirkens-bymisjon',
      'mutation ($input: ReportCapacityInput!) { reportCapacity(input: $input) { capacityReport { date } } }',
      {
        input: { shelterId, date: '2013-02-01', capacity: 6, occupied: 2 },
      },
    );
    await graphql('agency:kirkens-bymisjon', 'query ($id: ID!) { shelter(id: $id) { address } }', { id: shelterId });
    const { line } = await waitFor((l) => l['detail-type'] === 'AddressRead' && l.detail.entityId === shelterId, 10_000);
    expect(line).toBeDefined();
    const all = lines();
    expect(all.length).toBeGreaterThan(20);
    expect(new Set(all.map((l) => l.id)).size).toBe(all.length);
    const text = JSON.stringify(all);
    expect(text).not.toContain('Lønnligveien');
    expect(text).not.toMatch(/occup|"address"|\[confidential\]/i);
    expect(all.find((l) => l['detail-type'] === 'CapacityReported' && l.detail.entityId === shelterId)?.detail.data).toEqual({
      date: '2013-02-01',
      capacity: 6,
      replaced: false,
    });
  });
});

describe('npm run reminders', () => {
  it('writes one digest per agency that owes reports (and the coordinator its own) on 2013-03-01, and none when run again that day', async () => {
    // Prepare: a responsibility assigned now owes no report of 2011–2014 (duties run from the period of assignment).
    await graphql(
      'coordinator',
      'mutation ($input: AssignResponsibilityInput!) { assignResponsibility(input: $input) { measure { id } } }',
      {
        input: { measureId: 'hp-2011-2014-bistand', agencyId: 'ud', role: 'SHARED' },
      },
    );
    // NAV's 2012 report on the measure it leads (again, if the outbox test sent it first: it replaces it).
    await graphql('agency:nav', 'mutation ($input: SubmitStatusReportInput!) { submitStatusReport(input: $input) { measure { id } } }', {
      input: { measureId: 'hp-2011-2014-nav-kontor', period: '2012', status: 'IN_PROGRESS', progressPercent: 30, summary: 'Rundskriv.' },
    });
    // A contact address for every agency of the directory (the seed has none).
    // The directory, then each agency's responsibilities (all in one document would be over the cost limit: 500 agencies × a page of 100).
    const directory = await graphql<{ agencies: { id: string; version: number }[] }>('coordinator', '{ agencies { id version } }');
    type Responsibilities = { edges: { node: { provenance: { kind: string }; measure: { plan: { id: string } } } }[] };
    const agencies: { id: string; version: number; responsibilities: Responsibilities }[] = [];
    for (const { id, version } of directory.agencies) {
      const { agency } = await graphql<{ agency: { responsibilities: Responsibilities } }>(
        'coordinator',
        'query ($id: ID!) { agency(id: $id) { responsibilities(first: 100) { edges { node { provenance { kind } measure { plan { id } } } } } } }',
        { id },
      );
      agencies.push({ id, version, responsibilities: agency.responsibilities });
    }
    for (const a of agencies)
      await graphql('coordinator', 'mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { id } } }', {
        input: { id: a.id, expectedVersion: a.version, contactEmail: `post@${a.id}.example` },
      });
    // Every seeded responsibility of the plan owes 2011 and 2012 (due 15 February 2012 and 2013); one report is in.
    const owing = agencies
      .filter((a) => a.responsibilities.edges.some((e) => e.node.measure.plan.id === 'hp-2011-2014' && e.node.provenance.kind !== 'API'))
      .map((a) => a.id);
    expect(owing).toContain('nav');
    expect(owing).not.toContain('ud');
    expect(agencies.find((a) => a.id === 'ud')?.responsibilities.edges).toHaveLength(1);

    // Act
    const first = await reminders('2013-03-01');
    const written = mails();
    const second = await reminders('2013-03-01');

    // Assess
    expect(written).toEqual([...owing.map((id) => `2013-03-01-agency-${id}.eml`), '2013-03-01-coordinator.eml'].sort());
    expect(first).toContain(`${owing.length + 1} digest(s) written`);
    expect(mails()).toEqual(written);
    expect(second).toContain('0 digest(s) written');
    expect(second).toContain(`${owing.length + 1} sent earlier today`);

    const nav = readFileSync(join(outbox, 'mail', '2013-03-01-agency-nav.eml'), 'utf8');
    const end = nav.indexOf('\r\n\r\n');
    const [head, body] = [nav.slice(0, end), nav.slice(end + 4)];
    expect(head).toMatch(/^From: samordning@localhost\r\nTo: post@nav\.example\r\nSubject: /);
    expect(head).toContain('Content-Type: text/plain; charset=UTF-8');
    expect(head).toMatch(/\r\nDate: .+\r\nMessage-ID: <.+>\r\nMIME-Version: 1\.0\r\n/);
    expect(body).toContain('Over fristen');
    expect(body).toContain('-- English --');
    expect(body).toContain('Overdue');
    // NAV reported 2012 on the measure it leads: that duty is not in the digest, 2011 still is.
    expect(body).toMatch(/Tydeliggjøre NAV-kontorets ansvar.*periode 2011/);
    expect(body).not.toMatch(/Tydeliggjøre NAV-kontorets ansvar.*periode 2012/);
    const coordinator = readFileSync(join(outbox, 'mail', '2013-03-01-coordinator.eml'), 'utf8');
    expect(coordinator).toContain('To: koordinator@jd.example');
  }, 300_000);
});
