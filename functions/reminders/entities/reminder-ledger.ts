import { putNew, remove, type TxItem } from '../../shared/entity.js';
import { ConflictError } from '../../shared/errors.js';

/** A day's ledger entry outlives the day and its retries; TTL then removes it. */
const TTL_SECONDS = 35 * 24 * 3600;

/** The day's digest was sent already: not an error for the scheduler, a reason to send nothing. */
export class AlreadySent extends ConflictError {
  constructor() {
    super('The digest of this day was sent already');
  }
}

/**
 * One digest sent, per recipient and day (`REMINDER#<day>#<recipient>`), in the funding table
 * beside the money writes' idempotency records, with the same pattern: put only where none is, in
 * its own transaction, and removed by TTL. The recipient is `agency:<id>` or `coordinator`.
 */
export const reminderLedgerEntity = {
  table: 'funding',
  key: (day: string, recipient: string) => ({ pk: `REMINDER#${day}#${recipient}`, sk: 'REMINDER' }),

  claim(day: string, recipient: string, at: string): TxItem {
    return putNew(
      'funding',
      {
        ...reminderLedgerEntity.key(day, recipient),
        day,
        recipient,
        claimedAt: at,
        expiresAt: Math.floor(Date.parse(at) / 1000) + TTL_SECONDS,
      },
      () => new AlreadySent(),
    );
  },

  /** Gives a day's claim back when its mail could not be sent, so that a retry sends it. */
  release(day: string, recipient: string): TxItem {
    return remove('funding', reminderLedgerEntity.key(day, recipient));
  },
} as const;
