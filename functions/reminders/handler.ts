import { randomBytes } from 'node:crypto';
import { getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { fixedCursors } from '../app/context.js';
import { loadConfig } from '../shared/config.js';
import type { Db } from '../shared/db.js';
import { documentClient } from '../shared/dynamo.js';
import { createItemLoader } from '../shared/item-loader.js';
import { logger } from '../shared/logger.js';
import { SesMailer } from './mailer.js';
import { osloDay } from './reminders.js';
import { runReminders } from './run.js';

// The reminders hand out no cursors and read no occupancy, as the scripts do not: the configuration still asks
// for both keys, and any will do (the function is given neither secret).
process.env.CURSOR_KEY ??= randomBytes(32).toString('base64url');
process.env.PERTURBATION_KEY ??= randomBytes(32).toString('base64url');
const config = loadConfig();
const from = getStringFromEnv({ key: 'REMINDER_SENDER' });
const coordinatorEmail = getStringFromEnv({ key: 'COORDINATOR_EMAIL', defaultValue: '' }) || undefined;
const mailer = new SesMailer();

/** The daily reminders (EventBridge Scheduler, Europe/Oslo): the day is today in Oslo unless the schedule's input names one. */
export const handler = async (event: { asOf?: unknown } | null | undefined) => {
  const asOf = typeof event?.asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(event.asOf) ? event.asOf : osloDay();
  // A fresh batch loader per run: nothing read yesterday is served today.
  const db: Db = { client: documentClient, config, loader: createItemLoader(documentClient), cursors: fixedCursors(config) };
  const run = await runReminders(db, { asOf, mailer, from, coordinatorEmail, log: (message, fields) => logger.info(message, fields) });
  logger.info('Reminders sent', { asOf, sent: run.sent.length, alreadySent: run.alreadySent.length, withoutAddress: run.withoutAddress });
  return { asOf, sent: run.sent.length, alreadySent: run.alreadySent.length };
};
