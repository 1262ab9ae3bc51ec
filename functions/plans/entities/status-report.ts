import { Fields, type Item, type TxItem } from '../../shared/entity.js';
import { ConflictError } from '../../shared/errors.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import { measureStatuses, type Period, parsePeriod, type StatusReportRecord } from '../plans.model.js';

export const planPeriodPk = (planId: string, period: string) => `PLAN#${planId}#PERIOD#${period}`;

/**
 * One agency's report on a measure for a period (`MEASURE#<id>` / `REPORT#<end>#<start>#<agency>`:
 * read backwards, the newest period first), listed under its plan and period (gsi1) for the
 * coordinator's "missing a report" view.
 */
export const statusReportEntity = {
  table: 'measures',
  key: (measureId: string, period: Period, agencyId: string) => ({
    pk: `MEASURE#${measureId}`,
    // Sorting by the period's last day, then its first, puts the newest period first when read backwards.
    sk: `REPORT#${period.end}#${period.start}#${agencyId}`,
  }),
  /** The sort-key prefix of a measure's reports. */
  prefix: 'REPORT#',

  toItem(r: StatusReportRecord): Item {
    const period = parsePeriod(r.period);
    if (!period) throw new Error(`Invalid period ${r.period}`);
    return {
      ...statusReportEntity.key(r.measureId, period, r.agencyId),
      gsi1pk: planPeriodPk(r.planId, r.period),
      gsi1sk: `${r.measureId}#${r.agencyId}`,
      id: r.id,
      measureId: r.measureId,
      planId: r.planId,
      period: r.period,
      status: r.status,
      progressPercent: r.progressPercent,
      summary: r.summary,
      agencyId: r.agencyId,
      reportedAt: r.reportedAt,
      ...provenanceAttribute(r.provenance),
    };
  },

  parse(item: Item): StatusReportRecord {
    const f = new Fields(item, 'status report');
    return {
      id: f.string('id'),
      measureId: f.string('measureId'),
      planId: f.string('planId'),
      period: f.string('period'),
      status: f.oneOf('status', measureStatuses),
      progressPercent: f.int('progressPercent'),
      summary: f.string('summary'),
      agencyId: f.string('agencyId'),
      reportedAt: f.string('reportedAt'),
      ...readProvenance(f),
    };
  },

  /**
   * Stores a report, replacing exactly the one read (or none): two racing reports cannot both
   * replace the same one. When another is stored, the error carries it, so the writer can replace it knowingly.
   */
  put(report: StatusReportRecord, previous: StatusReportRecord | undefined): TxItem {
    return {
      table: 'measures',
      op: {
        Put: {
          Item: statusReportEntity.toItem(report),
          ...(previous
            ? { ConditionExpression: 'reportedAt = :read', ExpressionAttributeValues: { ':read': previous.reportedAt } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) => new ReportReplaced(stored ? statusReportEntity.parse(stored) : undefined),
    };
  },
} as const;

/** The stored report was not the one the writer read: a retryable CONFLICT carrying what is stored now. */
export class ReportReplaced extends ConflictError {
  constructor(readonly stored: StatusReportRecord | undefined) {
    super('Another report for this period was stored meanwhile; please retry.', { retryable: true });
  }
}
