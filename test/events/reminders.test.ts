import { beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../data/load-seed.js';
import { createRepositories } from '../../functions/app/context.js';
import type { DutyDigestRow } from '../../functions/reminders/digest.js';
import type { Mail, Mailer } from '../../functions/reminders/mailer.js';
import { osloDay, sendReminders } from '../../functions/reminders/reminders.js';
import { as, executeText } from '../support/api.js';
import { createTestEnvironment, type TestEnvironment } from '../support/environment.js';

let env: TestEnvironment;

const row = (agencyId: string, status: 'DUE' | 'OVERDUE', period = '2012'): DutyDigestRow => ({
  measureId: `m-${agencyId}`,
  measureCode: '7',
  measureTitle: 'Et tiltak',
  agencyId,
  role: 'LEAD',
  planId: 'hp-2011-2014',
  period,
  dueDate: status === 'DUE' ? '2013-03-10' : '2013-02-15',
  status,
  daysOverdue: status === 'DUE' ? 0 : 14,
});

class Outbox implements Mailer {
  readonly sent: Mail[] = [];
  failFor = new Set<string>();
  async send(mail: Mail) {
    if (this.failFor.has(mail.to)) throw new Error('SES said no');
    this.sent.push(mail);
  }
}

beforeAll(async () => {
  env = await createTestEnvironment();
  await loadSeed(env.db());
  for (const [id, email] of [
    ['nav', 'post@nav.example'],
    ['ad', 'post@ad.example'],
  ] as const) {
    const agency = await createRepositories(env.db()).agencies.agency(id);
    const res = await executeText(
      env.handler,
      as.coordinator,
      'mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { agency { id } } }',
      {
        input: { id, expectedVersion: agency?.version ?? 1, contactEmail: email },
      },
    );
    expect(res.errors).toBeUndefined();
  }
}, 120_000);

function deps(mailer: Mailer, rows: DutyDigestRow[], logs: string[] = []) {
  const db = env.db();
  return {
    db,
    loadDuties: async () => rows,
    agencies: () => createRepositories(db).agencies.agencies(),
    mailer,
    from: 'samordning@example.no',
    coordinatorEmail: 'koordinator@example.no',
    log: (message: string, fields: Record<string, unknown>) => logs.push(`${message} ${JSON.stringify(fields)}`),
  };
}

describe('reminders', () => {
  it('mails each agency its own duties and the coordinator every overdue one; skips and logs (by id only) an agency without address', async () => {
    const outbox = new Outbox();
    const logs: string[] = [];
    const run = await sendReminders(
      deps(outbox, [row('nav', 'OVERDUE'), row('nav', 'DUE', '2013'), row('ad', 'DUE'), row('krd', 'OVERDUE')], logs),
      '2013-03-01',
    );
    expect(run).toEqual({ sent: ['agency:ad', 'agency:nav', 'coordinator'], alreadySent: [], withoutAddress: ['krd'] });
    expect(outbox.sent.map((m) => m.to)).toEqual(['post@ad.example', 'post@nav.example', 'koordinator@example.no']);
    const nav = outbox.sent[1];
    expect(nav?.subject).toBe('Samordning: 1 over fristen, 1 med frist snart / 1 overdue, 1 due soon');
    expect(nav?.text).toMatch(
      /^Hei, Arbeids- og velferdsdirektoratet\.\n[\s\S]*Over fristen \(1\):\n- Tiltak 7 «Et tiltak» \(ansvarlig\): periode 2012, frist 15\.02\.2013 – 14 dager over fristen\n/,
    );
    expect(nav?.text).toContain('Frist innen 14 dager (1):\n- Tiltak 7 «Et tiltak» (ansvarlig): periode 2013, frist 10.03.2013\n');
    expect(nav?.text).toContain('-- English --');
    expect(nav?.text).toContain('Due within 14 days (1):\n- Measure 7 "Et tiltak" (lead): period 2013, due 2013-03-10\n');
    // The coordinator's digest: overdue only, from every agency, the one without an address too.
    expect(outbox.sent[2]?.text).toContain('2 statusrapporter fra 2 virksomheter');
    expect(outbox.sent[2]?.text).not.toContain('periode 2013');
    expect(logs.join('\n')).toContain('"agencyId":"krd"');
    expect(logs.join('\n')).not.toContain('@');
  });

  it('sends nothing twice on one day, and a mail that failed is sent by the retry', async () => {
    const outbox = new Outbox();
    outbox.failFor.add('post@ad.example');
    const rows = [row('nav', 'OVERDUE'), row('ad', 'OVERDUE')];
    await expect(sendReminders(deps(outbox, rows), '2013-03-02')).rejects.toThrow('1 reminder(s) could not be sent');
    expect(outbox.sent.map((m) => m.to)).toEqual(['post@nav.example', 'koordinator@example.no']);

    outbox.failFor.clear();
    const retry = await sendReminders(deps(outbox, rows), '2013-03-02');
    expect(retry).toEqual({ sent: ['agency:ad'], alreadySent: ['agency:nav', 'coordinator'], withoutAddress: [] });
    const again = await sendReminders(deps(outbox, rows), '2013-03-02');
    expect(again.sent).toEqual([]);
    expect(outbox.sent.map((m) => m.to)).toEqual(['post@nav.example', 'koordinator@example.no', 'post@ad.example']);
    // Another day is another day.
    expect((await sendReminders(deps(outbox, rows), '2013-03-03')).sent).toEqual(['agency:ad', 'agency:nav', 'coordinator']);
  });

  it('sends one digest per recipient and day when two runs race', async () => {
    const a = new Outbox();
    const b = new Outbox();
    const rows = [row('nav', 'OVERDUE'), row('ad', 'DUE')];
    await Promise.all([sendReminders(deps(a, rows), '2013-04-01'), sendReminders(deps(b, rows), '2013-04-01')]);
    expect([...a.sent, ...b.sent].map((m) => m.to).sort()).toEqual(['koordinator@example.no', 'post@ad.example', 'post@nav.example']);
  });

  it('judges the day in Oslo', () => {
    expect(osloDay(new Date('2013-02-28T23:30:00Z'))).toBe('2013-03-01');
    expect(osloDay(new Date('2013-07-31T22:30:00Z'))).toBe('2013-08-01');
    expect(osloDay(new Date('2013-03-01T12:00:00Z'))).toBe('2013-03-01');
  });
});
