import { Fields, type Item, put, remove, type TxItem } from '../../shared/entity.js';
import { ConflictError } from '../../shared/errors.js';
import { provenanceAttribute, readProvenance } from '../../shared/provenance.js';
import { measureOrderKey, type ResponsibilityRecord, type ResponsibilityRole, responsibilityRoles } from '../plans.model.js';

export const agencyResponsibilitiesPk = (agencyId: string) => `AGENCY#${agencyId}`;
/** A plan's responsibilities, by the day assigned (gsi2): the reporting duties of a period are those assigned by its end. */
export const planDutiesPk = (planId: string) => `PLAN#${planId}#DUTIES`;
/** The day that sorts first: a role held from the plan's start. */
export const FROM_PLAN_START = '0000-00-00';

/** The measure fields a responsibility item copies for its listings. */
type Listed = { readonly planId: string; readonly number: number | null };

/**
 * An agency's role on a measure (`MEASURE#<id>` / `AGENCY#<agencyId>`), listed under the agency
 * (gsi1): LEAD before SHARED, each in plan order. The measure item holds the same roles, kept in
 * the same transaction, and is what a measure's own reads use.
 */
export const responsibilityEntity = {
  table: 'responsibilities',
  key: (measureId: string, agencyId: string) => ({ pk: `MEASURE#${measureId}`, sk: `AGENCY#${agencyId}` }),

  toItem(r: ResponsibilityRecord, measure: Listed): Item {
    return {
      ...responsibilityEntity.key(r.measureId, r.agencyId),
      gsi1pk: agencyResponsibilitiesPk(r.agencyId),
      gsi1sk: responsibilityEntity.agencySk(r.role, measure.number, r.measureId),
      gsi2pk: planDutiesPk(measure.planId),
      gsi2sk: responsibilityEntity.dutySk(r.assignedOn, measure.number, r.measureId, r.agencyId),
      measureId: r.measureId,
      agencyId: r.agencyId,
      role: r.role,
      planId: measure.planId,
      ...(r.assignedOn ? { assignedOn: r.assignedOn } : {}),
      ...provenanceAttribute(r.provenance),
    };
  },

  /** LEAD sorts before SHARED, then measures in plan order. */
  agencySk: (role: ResponsibilityRole, measureNumber: number | null, measureId: string) =>
    `${role}#${measureOrderKey(measureNumber, measureId)}`,

  /** By the day assigned, then in plan order: a Query up to a period's last day reads exactly the roles that owe for it. */
  dutySk: (assignedOn: string | undefined, measureNumber: number | null, measureId: string, agencyId: string) =>
    `${assignedOn ?? FROM_PLAN_START}#${measureOrderKey(measureNumber, measureId)}#${agencyId}`,

  parse(item: Item): ResponsibilityRecord {
    const f = new Fields(item, 'responsibility');
    const planId = f.optionalString('planId');
    const assignedOn = f.optionalString('assignedOn');
    // A string set as the document client reads it (absent until the first report counted).
    const stored = item.reported;
    const reported = stored instanceof Set ? [...stored].filter((p): p is string => typeof p === 'string').sort() : [];
    return {
      measureId: f.string('measureId'),
      agencyId: f.string('agencyId'),
      role: f.oneOf('role', responsibilityRoles),
      ...(planId !== undefined ? { planId } : {}),
      ...(assignedOn !== undefined ? { assignedOn } : {}),
      ...(reported.length > 0 ? { reported } : {}),
      ...readProvenance(f),
    };
  },

  put(r: ResponsibilityRecord, measure: Listed): TxItem {
    return put('responsibilities', responsibilityEntity.toItem(r, measure));
  },

  remove(measureId: string, agencyId: string): TxItem {
    return remove('responsibilities', responsibilityEntity.key(measureId, agencyId));
  },

  /**
   * Gives an agency a role, keeping the periods it has reported for (an Update, not a Put: a role
   * changed from LEAD to SHARED keeps what it submitted).
   */
  assign(r: ResponsibilityRecord, measure: Listed): TxItem {
    const { pk: _pk, sk: _sk, ...fields } = responsibilityEntity.toItem(r, measure);
    const entries = Object.entries(fields);
    return {
      table: 'responsibilities',
      op: {
        Update: {
          Key: responsibilityEntity.key(r.measureId, r.agencyId),
          UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:f${i}`, v])),
        },
      },
    };
  },

  /** Records that the role's report for a period was counted as submitted; the role must still be held. */
  countReport(measureId: string, agencyId: string, period: string): TxItem {
    return {
      table: 'responsibilities',
      op: {
        Update: {
          Key: responsibilityEntity.key(measureId, agencyId),
          UpdateExpression: 'ADD reported :p',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':p': new Set([period]) },
        },
      },
      onConditionFailed: () =>
        new ConflictError('The responsibility changed while this was being stored; please retry.', { retryable: true }),
    };
  },

  /**
   * Ends a role as read: the periods it has reported for must be those read (the set only grows
   * while the role is held, so its size tells), so the counters moved with it are exact even when a
   * report races the removal.
   */
  removeAsRead(r: ResponsibilityRecord): TxItem {
    const count = r.reported?.length ?? 0;
    return {
      table: 'responsibilities',
      op: {
        Delete: {
          Key: responsibilityEntity.key(r.measureId, r.agencyId),
          ConditionExpression: count === 0 ? 'attribute_not_exists(reported)' : 'size(reported) = :n',
          ...(count === 0 ? {} : { ExpressionAttributeValues: { ':n': count } }),
        },
      },
      onConditionFailed: () => new ConflictError('A report was stored while this was being stored; please retry.', { retryable: true }),
    };
  },
} as const;
