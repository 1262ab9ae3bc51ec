import { AuditRepository } from '../audit/audit.repository.js';
import { type MeasureRecord, measureKey, measureOrderKey, type ResponsibilityRole } from '../plans/plans.model.js';
import { measureIndexKeys } from '../plans/plans.writes.js';
import { type Db, tableName, withoutKeys } from '../shared/db.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { type TxItem, transact } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import {
  type AgencyRecord,
  agencyDirectoryPk,
  agencyKey,
  agencyResponsibilitiesPk,
  agencyResponsibilitySk,
  responsibilityKey,
} from './agencies.model.js';

/** Writes of the responsibilities table, each in one transaction with the measure it changes and an audit entry. */
export class AgencyWrites {
  private readonly audit: AuditRepository;

  constructor(private readonly db: Db) {
    this.audit = new AuditRepository(db);
  }

  /** Adds an agency to the directory; nothing happens when it exists. Returns whether it was created. */
  async createAgency(agency: AgencyRecord, actor: Viewer, at: string): Promise<boolean> {
    try {
      await transact(this.db, [
        {
          item: {
            Put: {
              TableName: tableName(this.db, 'responsibilities'),
              Item: { ...agencyKey(agency.id), gsi2pk: agencyDirectoryPk, gsi2sk: `${agency.name}#${agency.id}`, ...agency },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onConditionFailed: () => new ConflictError(`Agency ${agency.id} exists.`),
        },
        ...this.audit.entry({
          action: 'createAgency',
          entityId: agency.id,
          actor,
          before: null,
          after: { ...agency },
          ownerAgencyIds: [agency.id],
          at,
        }),
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  /**
   * Gives an agency a role on a measure read at `measure.version`. At most one LEAD is held by the
   * condition on the measure's `leadAgencyId`, not by the read: of two racing LEAD assignments,
   * one fails its condition whatever either read.
   */
  async assign(measure: MeasureRecord, agencyId: string, role: ResponsibilityRole, actor: Viewer, at: string): Promise<MeasureRecord> {
    const current = measure.responsibilities[agencyId];
    const { leadAgencyId: _lead, ...rest } = measure;
    const leadAgencyId = role === 'LEAD' ? agencyId : measure.leadAgencyId === agencyId ? undefined : measure.leadAgencyId;
    const next: MeasureRecord = {
      ...rest,
      ...(leadAgencyId ? { leadAgencyId } : {}),
      responsibilities: { ...measure.responsibilities, [agencyId]: role },
      version: measure.version + 1,
      updatedAt: at,
    };
    const responsibilities = tableName(this.db, 'responsibilities');
    await transact(this.db, [
      this.replaceMeasure(measure, next, role === 'LEAD'),
      {
        item: {
          Put: {
            TableName: responsibilities,
            Item: {
              ...responsibilityKey(measure.id, agencyId),
              measureId: measure.id,
              agencyId,
              role,
              gsi1pk: agencyResponsibilitiesPk(agencyId),
              gsi1sk: agencyResponsibilitySk(role, measureOrderKey(measure.number, measure.id)),
            },
          },
        },
      },
      ...this.audit.entry({
        action: 'assignResponsibility',
        entityId: measure.id,
        actor,
        before: { agencyId, role: current ?? null },
        after: { agencyId, role },
        ownerAgencyIds: [...Object.keys(measure.responsibilities), agencyId],
        at,
      }),
    ]);
    return next;
  }

  /** Ends an agency's responsibility for a measure read at `measure.version`. */
  async remove(measure: MeasureRecord, agencyId: string, actor: Viewer, at: string): Promise<MeasureRecord> {
    const current = measure.responsibilities[agencyId];
    if (!current) throw new NotFoundError(`Agency ${agencyId} holds no responsibility for the measure.`, 'agencyId');
    const { [agencyId]: _removed, ...remaining } = measure.responsibilities;
    const { leadAgencyId: _lead, ...rest } = measure;
    const next: MeasureRecord = {
      ...rest,
      ...(measure.leadAgencyId && measure.leadAgencyId !== agencyId ? { leadAgencyId: measure.leadAgencyId } : {}),
      responsibilities: remaining,
      version: measure.version + 1,
      updatedAt: at,
    };
    await transact(this.db, [
      this.replaceMeasure(measure, next, false),
      { item: { Delete: { TableName: tableName(this.db, 'responsibilities'), Key: responsibilityKey(measure.id, agencyId) } } },
      ...this.audit.entry({
        action: 'removeResponsibility',
        entityId: measure.id,
        actor,
        before: { agencyId, role: current },
        after: { agencyId, role: null },
        ownerAgencyIds: [...Object.keys(measure.responsibilities)],
        at,
      }),
    ]);
    return next;
  }

  /**
   * Replaces the measure item at the version it was read at. For a LEAD assignment the condition
   * also demands that no other agency leads, so the LEAD stays unique even against a stale read.
   */
  private replaceMeasure(current: MeasureRecord, next: MeasureRecord, claimsLead: boolean): TxItem {
    const leadCondition = claimsLead ? ' AND (attribute_not_exists(leadAgencyId) OR leadAgencyId = :agency)' : '';
    return {
      item: {
        Put: {
          TableName: tableName(this.db, 'measures'),
          Item: { ...withoutKeys(next), ...measureKey(next.id), ...measureIndexKeys(next) },
          ConditionExpression: `version = :expected${leadCondition}`,
          ExpressionAttributeValues: { ':expected': current.version, ...(claimsLead ? { ':agency': next.leadAgencyId } : {}) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (stored) => {
        if (!stored) return new NotFoundError(`There is no measure ${current.id}.`, 'measureId');
        if (claimsLead && typeof stored.leadAgencyId === 'string' && stored.leadAgencyId !== next.leadAgencyId) {
          return new ConflictError(`The measure already has a LEAD (${stored.leadAgencyId}); make it SHARED or remove it first.`, {
            field: 'role',
            leadAgencyId: stored.leadAgencyId,
          });
        }
        return new ConflictError('The measure changed while this was being stored; please retry.', {
          retryable: true,
          currentVersion: stored.version,
        });
      },
    };
  }
}
