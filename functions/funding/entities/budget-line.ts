import { type Cap, countUp, Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { formatMoney } from '../../shared/money.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import type { BudgetLineRecord, BudgetRevisionRecord } from '../funding.model.js';

const readRevision = (r: Fields): BudgetRevisionRecord => ({
  appropriatedOre: r.ore('appropriatedOre'),
  reason: r.string('reason'),
  decidedOn: r.string('decidedOn'),
  recordedAt: r.string('recordedAt'),
});

export const yearLinesPk = (fiscalYear: number) => `YEAR#${fiscalYear}`;
/** The gsi1 sort-key prefix of one agency's lines within a year. */
export const agencyLinesPrefix = (agencyId: string) => `AGENCY#${agencyId}#`;

/**
 * A budget line (`LINE#<id>` / `LINE`), listed by fiscal year in gsi1, by agency, chapter and post.
 * `remainingOre` (appropriated − allocated) is stored beside the totals so that a condition can
 * compare it with an amount, where a condition cannot add. A marker item
 * (`LINEKEY#<agency>#<year>#<chapter>#<post>`) keeps one line per agency, year, chapter and post.
 */
export const budgetLineEntity = {
  table: 'funding',
  key: (id: string) => ({ pk: `LINE#${id}`, sk: 'LINE' }),
  naturalKey: (agencyId: string, fiscalYear: number, chapter: number, post: number) => ({
    pk: `LINEKEY#${agencyId}#${fiscalYear}#${chapter}#${post}`,
    sk: 'LINEKEY',
  }),

  toItem(line: BudgetLineRecord): Item {
    return {
      ...budgetLineEntity.key(line.id),
      gsi1pk: yearLinesPk(line.fiscalYear),
      gsi1sk: `${agencyLinesPrefix(line.agencyId)}${String(line.chapter).padStart(4, '0')}#${String(line.post).padStart(2, '0')}#${line.id}`,
      id: line.id,
      planId: line.planId,
      fiscalYear: line.fiscalYear,
      agencyId: line.agencyId,
      chapter: line.chapter,
      post: line.post,
      title: line.title,
      appropriatedOre: line.appropriatedOre,
      ...(line.appropriatedOriginalOre !== undefined ? { appropriatedOriginalOre: line.appropriatedOriginalOre } : {}),
      ...(line.revisions ? { revisions: line.revisions.map((r) => ({ ...r })) } : {}),
      ...(line.version !== undefined ? { version: line.version } : {}),
      allocatedOre: line.allocatedOre,
      remainingOre: line.appropriatedOre - line.allocatedOre,
      disbursedOre: line.disbursedOre,
      createdAt: line.createdAt,
      ...provenanceAttribute(line.provenance),
    };
  },

  parse(item: Item): BudgetLineRecord {
    const f = new Fields(item, 'budget line');
    return {
      id: f.string('id'),
      planId: f.string('planId'),
      fiscalYear: f.int('fiscalYear'),
      agencyId: f.string('agencyId'),
      chapter: f.int('chapter'),
      post: f.int('post'),
      title: f.string('title'),
      appropriatedOre: f.ore('appropriatedOre'),
      ...(f.has('appropriatedOriginalOre') ? { appropriatedOriginalOre: f.ore('appropriatedOriginalOre') } : {}),
      ...(f.has('revisions') ? { revisions: f.objects('revisions', readRevision) } : {}),
      ...(f.has('version') ? { version: f.int('version') } : {}),
      allocatedOre: f.ore('allocatedOre'),
      disbursedOre: f.ore('disbursedOre'),
      createdAt: f.string('createdAt'),
      ...readProvenance(f),
    };
  },

  /** The counts of lines of a fiscal year and of a plan (attribute `n`), raised by each new line and held to caps. */
  yearCountKey: (fiscalYear: number) => ({ pk: 'LINECOUNT', sk: `YEAR#${fiscalYear}` }),
  planCountKey: (planId: string) => ({ pk: 'LINECOUNT', sk: `PLAN#${planId}` }),

  /** A new line, its natural-key marker and the counts of the year's and the plan's lines (held to caps when given). */
  create(line: BudgetLineRecord, caps?: { readonly year: Cap; readonly plan: Cap }): TxItem[] {
    return [
      countUp('funding', budgetLineEntity.yearCountKey(line.fiscalYear), caps?.year),
      countUp('funding', budgetLineEntity.planCountKey(line.planId), caps?.plan),
      putNew(
        'funding',
        { ...budgetLineEntity.naturalKey(line.agencyId, line.fiscalYear, line.chapter, line.post), budgetLineId: line.id },
        () =>
          new ConflictError(`The agency already has a budget line for chapter ${line.chapter}, post ${line.post} in ${line.fiscalYear}.`, {
            field: 'post',
          }),
      ),
      putNew('funding', budgetLineEntity.toItem(line)),
    ];
  },

  /** Allocates from the line: `remainingOre >= amount` keeps allocations within the appropriation however many writers race. */
  allocate(lineId: string, amount: bigint): TxItem {
    return {
      table: 'funding',
      op: {
        Update: {
          Key: budgetLineEntity.key(lineId),
          UpdateExpression: 'ADD remainingOre :minus, allocatedOre :amount',
          ConditionExpression: 'remainingOre >= :amount',
          ExpressionAttributeValues: { ':amount': amount, ':minus': -amount },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) => {
        if (!stored) return new NotFoundError(`There is no budget line ${lineId}.`, 'budgetLineId');
        const remaining = formatMoney(new Fields(stored, 'budget line').ore('remainingOre'));
        return new ConflictError(`The amount exceeds what is left of the budget line (${remaining}).`, { field: 'amount', remaining });
      },
    };
  },

  /**
   * Revises the appropriation at the version read. `allocatedOre <= :new` keeps allocations within it
   * however many allocations race; `remainingOre` moves by the difference, since allocations ADD to it.
   */
  revise(line: BudgetLineRecord, revision: BudgetRevisionRecord, expectedVersion: number): TxItem {
    const delta = revision.appropriatedOre - line.appropriatedOre;
    const versionCondition = expectedVersion === 1 ? '(attribute_not_exists(version) OR version = :expected)' : 'version = :expected';
    return {
      table: 'funding',
      op: {
        Update: {
          Key: budgetLineEntity.key(line.id),
          UpdateExpression:
            'SET appropriatedOre = :new, version = :next, appropriatedOriginalOre = if_not_exists(appropriatedOriginalOre, :original), revisions = list_append(if_not_exists(revisions, :none), :revision) ADD remainingOre :delta',
          ConditionExpression: `attribute_exists(pk) AND ${versionCondition} AND allocatedOre <= :new`,
          ExpressionAttributeValues: {
            ':new': revision.appropriatedOre,
            ':next': expectedVersion + 1,
            ':expected': expectedVersion,
            ':original': line.appropriatedOriginalOre ?? line.appropriatedOre,
            ':none': [],
            ':revision': [{ ...revision }],
            ':delta': delta,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) => {
        if (!stored) return new NotFoundError(`There is no budget line ${line.id}.`, 'id');
        const f = new Fields(stored, 'budget line');
        const version = f.has('version') ? f.int('version') : 1;
        if (version !== expectedVersion)
          return new ConflictError(`The budget line has changed since version ${expectedVersion}; it is now at version ${version}.`, {
            field: 'expectedVersion',
            currentVersion: version,
          });
        const allocated = formatMoney(f.ore('allocatedOre'));
        return new ConflictError(`The appropriation cannot go below what is allocated of the line (${allocated}).`, {
          field: 'appropriated',
          allocated,
        });
      },
    };
  },

  /** Counts a payment against the line's total disbursed. */
  disburse(lineId: string, amount: bigint): TxItem {
    return {
      table: 'funding',
      op: {
        Update: {
          Key: budgetLineEntity.key(lineId),
          UpdateExpression: 'ADD disbursedOre :amount',
          ExpressionAttributeValues: { ':amount': amount },
        },
      },
    };
  },
} as const;
