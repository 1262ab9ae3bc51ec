import { type AgencyRecord, nameAt } from '../agencies/agencies.model.js';
import type { Db } from '../shared/db.js';
import { transact } from '../shared/transact.js';
import { agencyDigest, coordinatorDigest, type Digest, type DutyDigestRow, type LoadDuties } from './digest.js';
import { AlreadySent, reminderLedgerEntity } from './entities/reminder-ledger.js';
import type { Mailer } from './mailer.js';

/** Duties due within this many days of the day are in an agency's digest, besides the overdue ones. */
export const WITHIN_DAYS = 14;

/** What a run of the reminders needs: where duties, agencies and the ledger come from, and where mail goes. */
export interface ReminderDeps {
  readonly db: Db;
  readonly loadDuties: LoadDuties;
  readonly agencies: () => Promise<readonly AgencyRecord[]>;
  readonly mailer: Mailer;
  /** The stage's verified sender. */
  readonly from: string;
  /** Where the coordinator's digest goes; when undefined, none is sent (and the run says so). */
  readonly coordinatorEmail: string | undefined;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
}

export interface ReminderRun {
  /** Recipients mailed this run: `agency:<id>` or `coordinator`. */
  readonly sent: string[];
  /** Recipients mailed earlier the same day. */
  readonly alreadySent: string[];
  /** Agencies with open duties but no contactEmail. */
  readonly withoutAddress: string[];
}

/** Today in Oslo, as YYYY-MM-DD: the day reminders are judged and counted by (the calendar's day). */
export { osloToday as osloDay } from '../plans/calendar.js';

/**
 * Mails each agency with open duties its digest, and the coordinator every overdue duty, at most
 * once per recipient and day: the ledger item is claimed before sending (a conditional put), and
 * given back when the mail fails, so a retried run sends what failed and nothing twice. A mail that
 * fails does not stop the others; the run throws at the end, so the scheduler retries it.
 */
export async function sendReminders(deps: ReminderDeps, asOf: string): Promise<ReminderRun> {
  const [rows, agencies] = await Promise.all([deps.loadDuties(asOf, WITHIN_DAYS), deps.agencies()]);
  const byAgency = new Map<string, DutyDigestRow[]>();
  for (const row of rows) {
    const list = byAgency.get(row.agencyId);
    if (list) list.push(row);
    else byAgency.set(row.agencyId, [row]);
  }
  const agencyById = new Map(agencies.map((a) => [a.id, a]));
  const run: ReminderRun = { sent: [], alreadySent: [], withoutAddress: [] };
  const failures: unknown[] = [];

  const deliver = async (recipient: string, to: string, digest: Digest) => {
    try {
      await transact(deps.db, [reminderLedgerEntity.claim(asOf, recipient, new Date().toISOString())]);
    } catch (error) {
      if (error instanceof AlreadySent) {
        run.alreadySent.push(recipient);
        return;
      }
      throw error;
    }
    try {
      await deps.mailer.send({
        from: deps.from,
        to,
        subject: digest.subject,
        text: digest.text,
        fileStem: `${asOf}-${recipient.replace(':', '-')}`,
      });
      run.sent.push(recipient);
    } catch (error) {
      await transact(deps.db, [reminderLedgerEntity.release(asOf, recipient)]);
      deps.log('Reminder not sent', { recipient, error: error instanceof Error ? error.name : 'unknown' });
      failures.push(error);
    }
  };

  for (const [agencyId, duties] of [...byAgency].sort(([a], [b]) => a.localeCompare(b))) {
    const agency = agencyById.get(agencyId);
    const to = agency?.contactEmail;
    // The address is never logged: it may be a person's.
    if (!to) {
      run.withoutAddress.push(agencyId);
      deps.log('Agency has open reporting duties but no contactEmail: no reminder sent', { agencyId, duties: duties.length });
      continue;
    }
    const digest = agencyDigest(nameAt(agency, asOf), duties, asOf, WITHIN_DAYS);
    if (digest) await deliver(`agency:${agencyId}`, to, digest);
  }

  const overall = coordinatorDigest(rows, new Map(agencies.map((a) => [a.id, nameAt(a, asOf)])), asOf);
  if (overall) {
    if (deps.coordinatorEmail) await deliver('coordinator', deps.coordinatorEmail, overall);
    else
      deps.log('No coordinator address configured: no coordinator digest sent', {
        overdue: rows.filter((r) => r.status === 'OVERDUE').length,
      });
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} reminder(s) could not be sent`);
  return run;
}
