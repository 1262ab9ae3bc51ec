import { openDutiesForDigest } from '../agencies/duties.js';
import { createRepositories } from '../app/context.js';
import type { Db } from '../shared/db.js';
import type { Mailer } from './mailer.js';
import { type ReminderRun, sendReminders } from './reminders.js';

/**
 * One run of the reminders over a Db, for the scheduled function and the local script alike: the
 * same duties, digests, ledger and mail path, with only the mailer differing (SES or .eml files).
 */
export function runReminders(
  db: Db,
  options: {
    readonly asOf: string;
    readonly mailer: Mailer;
    readonly from: string;
    readonly coordinatorEmail: string | undefined;
    readonly log: (message: string, fields: Record<string, unknown>) => void;
  },
): Promise<ReminderRun> {
  const repos = createRepositories(db);
  return sendReminders(
    {
      db,
      loadDuties: (asOf, withinDays) => openDutiesForDigest(repos, { asOf, withinDays }),
      agencies: () => repos.agencies.agencies(),
      mailer: options.mailer,
      from: options.from,
      coordinatorEmail: options.coordinatorEmail,
      log: options.log,
    },
    options.asOf,
  );
}
