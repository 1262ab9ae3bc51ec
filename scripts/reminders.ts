import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectScriptTables } from '../local/environment.js';
import { ROOT } from '../local/paths.js';

/**
 * npm run reminders -- --as-of YYYY-MM-DD [--stage NAME]
 * Runs the daily reminders as the scheduled function does (same duties, digests and ledger), writing
 * each digest as an .eml file under $OUTBOX_DIR/mail/ instead of sending it. Run again the same
 * day, it writes none. Without --stage, over the local platform's tables (`npm start`); the
 * coordinator's address is COORDINATOR_EMAIL, else `coordinatorEmail` in infra/stages/<stage>.json.
 */
const { values } = parseArgs({ options: { 'as-of': { type: 'string' }, stage: { type: 'string' } } });
const asOf = values['as-of'];
if (!asOf || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
  process.stderr.write('Usage: npm run reminders -- --as-of YYYY-MM-DD [--stage NAME]\n');
  process.exit(2);
}
try {
  selectScriptTables(values.stage);
  const stageFile = join(ROOT, 'infra', 'stages', `${values.stage ?? 'local'}.json`);
  const settings: Record<string, unknown> = existsSync(stageFile) ? JSON.parse(readFileSync(stageFile, 'utf8')) : {};
  const setting = (key: string) => (typeof settings[key] === 'string' ? (settings[key] as string) : undefined);
  const [{ documentClient }, { scriptDb }, { EmlMailer, outboxDir }, { runReminders }, { osloDay }] = await Promise.all([
    import('../functions/shared/dynamo.js'),
    import('../local/environment.js'),
    import('../local/outbox.js'),
    import('../functions/reminders/run.js'),
    import('../functions/reminders/reminders.js'),
  ]);
  const mailer = new EmlMailer(outboxDir());
  const run = await runReminders(scriptDb(documentClient), {
    asOf: asOf ?? osloDay(),
    mailer,
    from: process.env.REMINDER_SENDER ?? setting('reminderSender') ?? 'samordning@localhost',
    coordinatorEmail: process.env.COORDINATOR_EMAIL ?? setting('coordinatorEmail'),
    log: (message, fields) => process.stderr.write(`${message} ${JSON.stringify(fields)}\n`),
  });
  process.stdout.write(
    `${run.sent.length} digest(s) written to ${join(outboxDir(), 'mail')}; ${run.alreadySent.length} sent earlier today; ` +
      `${run.withoutAddress.length} agency(ies) without contactEmail skipped.\n`,
  );
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
