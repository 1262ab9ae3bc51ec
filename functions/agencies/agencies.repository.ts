import type { AuditRepository } from '../audit/audit.repository.js';
import { osloDateOf } from '../plans/calendar.js';
import { measureEntity } from '../plans/entities/measure.js';
import { owedKey, submittedKey } from '../plans/entities/plan-stats.js';
import { agencyResponsibilitiesPk, planDutiesPk, responsibilityEntity } from '../plans/entities/responsibility.js';
import type { MeasureRecord, ResponsibilityRecord, ResponsibilityRole } from '../plans/plans.model.js';
import { type Db, listPage, loadItem, queryAll, queryPage } from '../shared/db.js';
import { type Cap, countSet, put } from '../shared/entity.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { roleOf } from '../shared/policy.js';
import { apiProvenance, type Provenance } from '../shared/provenance.js';
import { transact } from '../shared/transact.js';
import type { Viewer } from '../shared/viewer.js';
import type { AgencyRecord } from './agencies.model.js';
import { agencyEntity } from './entities/agency.js';
import { integrationEntity } from './entities/integration.js';
import type { IntegrationRecord } from './integrations.model.js';

/** What identifies an integration's grant in its audit entries (and so its change events), changed or not. */
function grantFacts(i: IntegrationRecord): Record<string, string> {
  return { role: i.role, ...(i.agencyId !== null ? { agencyId: i.agencyId } : {}), scopes: i.scopes.join(' ') };
}

/** The day an agency was assigned to a measure; undefined: from the plan's start. */
export function assignedDay(measure: MeasureRecord, agencyId: string): string | undefined {
  return measure.assignedOn && Object.hasOwn(measure.assignedOn, agencyId) ? measure.assignedOn[agencyId] : undefined;
}

/** The measure's map of days assigned with one agency's day set (or removed). */
function withAssignedDay(measure: MeasureRecord, agencyId: string, day: string | undefined): Pick<MeasureRecord, 'assignedOn'> {
  const others = Object.entries(measure.assignedOn ?? {}).filter(([id]) => id !== agencyId);
  const all = day ? [...others, [agencyId, day] as const] : others;
  return all.length > 0 ? { assignedOn: Object.fromEntries(all) } : {};
}

/**
 * The responsibilities table: the agency directory and who is responsible for what. A
 * responsibility changes in one transaction with the measure item that holds the same roles.
 */
export class AgenciesRepository {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepository,
  ) {}

  agency(id: string): Promise<AgencyRecord | undefined> {
    return loadItem(this.db, 'responsibilities', agencyEntity.key(id), agencyEntity.parse);
  }

  /** One responsibility item, as stored (with its provenance). */
  responsibility(measureId: string, agencyId: string): Promise<ResponsibilityRecord | undefined> {
    return loadItem(this.db, 'responsibilities', responsibilityEntity.key(measureId, agencyId), responsibilityEntity.parse);
  }

  agencies(): Promise<AgencyRecord[]> {
    return queryAll(this.db, {
      table: 'responsibilities',
      index: 'gsi2',
      keyCondition: 'gsi2pk = :pk',
      values: { ':pk': agencyEntity.directoryPk },
      forward: true,
      parse: agencyEntity.parse,
    });
  }

  /** A page of an agency's responsibilities: LEAD first, then SHARED, each in plan order. */
  responsibilitiesOf(
    agencyId: string,
    role: ResponsibilityRole | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    const pk = agencyResponsibilitiesPk(agencyId);
    return queryPage(this.db, {
      table: 'responsibilities',
      index: 'gsi1',
      keyCondition: role ? 'gsi1pk = :pk AND begins_with(gsi1sk, :role)' : 'gsi1pk = :pk',
      values: role ? { ':pk': pk, ':role': `${role}#` } : { ':pk': pk },
      forward: true,
      scope: `responsibilities:${agencyId}:${role ?? ''}`,
      first,
      after,
      parse: responsibilityEntity.parse,
    });
  }

  /**
   * A page of a plan's LEAD and SHARED roles assigned by a day (a period's last day): the reporting
   * duties of that period, by day assigned, then in plan order. One Query, whatever the plan's size.
   */
  planDuties(planId: string, byDay: string, first: number | null | undefined, after: string | null | undefined) {
    return queryPage(this.db, {
      table: 'responsibilities',
      index: 'gsi2',
      keyCondition: 'gsi2pk = :pk AND gsi2sk <= :end',
      values: { ':pk': planDutiesPk(planId), ':end': `${byDay}#\uffff` },
      forward: true,
      scope: `duties:${planId}:${byDay}`,
      first,
      after,
      parse: responsibilityEntity.parse,
    });
  }

  /** Every role of a plan assigned by a day (the daily digest reads them all). */
  allPlanDuties(planId: string, byDay: string): Promise<ResponsibilityRecord[]> {
    return queryAll(this.db, {
      table: 'responsibilities',
      index: 'gsi2',
      keyCondition: 'gsi2pk = :pk AND gsi2sk <= :end',
      values: { ':pk': planDutiesPk(planId), ':end': `${byDay}#\uffff` },
      forward: true,
      parse: responsibilityEntity.parse,
    });
  }

  /** Every responsibility of an agency (bounded: the measures one agency holds). */
  allResponsibilitiesOf(agencyId: string): Promise<ResponsibilityRecord[]> {
    return queryAll(this.db, {
      table: 'responsibilities',
      index: 'gsi1',
      keyCondition: 'gsi1pk = :pk',
      values: { ':pk': agencyResponsibilitiesPk(agencyId) },
      forward: true,
      parse: responsibilityEntity.parse,
    });
  }

  /** Rewrites a responsibility item stored before the calendar with its plan and duty index keys (the calendar migration). */
  async reindexResponsibility(item: Record<string, unknown>, measure: MeasureRecord, reported: readonly string[]): Promise<void> {
    const record = responsibilityEntity.parse(item);
    const stored = responsibilityEntity.toItem(record, measure);
    await transact(this.db, [put('responsibilities', { ...stored, ...(reported.length > 0 ? { reported: new Set(reported) } : {}) })]);
  }

  /** A page of a list derived on read, with signed cursors of this table's scope. */
  listPage<T>(
    scope: string,
    list: readonly T[],
    keyOf: (node: T) => string,
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    return listPage(this.db, scope, list, keyOf, first, after);
  }

  /** The directory's count set outright (the list-counters migration, from a recount). */
  async setAgenciesCount(n: number): Promise<void> {
    await transact(this.db, [countSet('responsibilities', agencyEntity.countKey, n)]);
  }

  /** Adds an agency to the directory; nothing happens when it exists. Returns whether it was created. */
  async createAgency(agency: AgencyRecord, actor: Viewer, at: string): Promise<boolean> {
    try {
      await transact(this.db, [
        agencyEntity.create(agency),
        agencyEntity.counted(),
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
   * Adds an agency to the directory (an id in use is a CONFLICT naming `id`), with its audit entry; the directory's
   * count is held below `cap` in the same transaction.
   */
  async addAgency(agency: AgencyRecord, held: readonly AgencyRecord[], actor: Viewer, at: string, cap?: Cap): Promise<AgencyRecord> {
    await transact(this.db, [
      agencyEntity.create(agency),
      agencyEntity.counted(cap),
      ...held.map((a) => agencyEntity.unchanged(a)),
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
    return agency;
  }

  /**
   * Replaces an agency read at `current.version`. Each ancestor of its new parent, as read, is a
   * condition: two racing re-parentings cannot close a cycle between them.
   */
  async updateAgency(
    current: AgencyRecord,
    next: AgencyRecord,
    ancestors: readonly AgencyRecord[],
    actor: Viewer,
    at: string,
  ): Promise<AgencyRecord> {
    await transact(this.db, [
      agencyEntity.replace(current, next),
      ...ancestors.map((a) => agencyEntity.unchanged(a)),
      ...this.audit.entry({
        action: 'updateAgency',
        entityId: next.id,
        actor,
        before: { ...current },
        after: { ...next },
        ownerAgencyIds: [next.id],
        at,
      }),
    ]);
    return next;
  }

  /**
   * Gives an agency a role on a measure read at `measure.version`. At most one LEAD is held by the
   * condition on the measure's `leadAgencyId`, not by the read: of two racing LEAD assignments,
   * one fails its condition whatever either read.
   */
  async assign(
    measure: MeasureRecord,
    agencyId: string,
    role: ResponsibilityRole,
    actor: Viewer,
    at: string,
    provenance: Provenance = apiProvenance(at),
  ): Promise<MeasureRecord> {
    const current = roleOf(measure.responsibilities, agencyId);
    const { leadAgencyId: _lead, assignedOn: _assigned, ...rest } = measure;
    const leadAgencyId = role === 'LEAD' ? agencyId : measure.leadAgencyId === agencyId ? undefined : measure.leadAgencyId;
    // A role changed keeps the day it was first assigned; a new one assigned through the API owes from
    // today's period, one stated by the plan's text, an import or demo data from the plan's start.
    const assignedOn = current !== undefined ? assignedDay(measure, agencyId) : provenance.kind === 'API' ? osloDateOf(at) : undefined;
    const next: MeasureRecord = {
      ...rest,
      ...(leadAgencyId ? { leadAgencyId } : {}),
      responsibilities: { ...measure.responsibilities, [agencyId]: role },
      ...withAssignedDay(measure, agencyId, assignedOn),
      version: measure.version + 1,
      updatedAt: at,
    };
    await transact(this.db, [
      ...measureEntity.replace(measure, next, {
        expectedVersion: measure.version,
        claimsLead: role === 'LEAD',
        stale: 'retry',
        idField: 'measureId',
        counters: current === undefined ? [[owedKey(assignedOn), 1]] : [],
      }),
      responsibilityEntity.assign({ measureId: measure.id, agencyId, role, provenance, ...(assignedOn ? { assignedOn } : {}) }, measure),
      ...this.audit.entry({
        action: 'assignResponsibility',
        entityId: measure.id,
        actor,
        before: { agencyId, role: current ?? null },
        after: { agencyId, role },
        ownerAgencyIds: [...Object.keys(measure.responsibilities), agencyId],
        facts: { agencyId, role },
        at,
      }),
    ]);
    return next;
  }

  /** Ends an agency's responsibility for a measure read at `measure.version`. */
  async remove(measure: MeasureRecord, responsibility: ResponsibilityRecord, actor: Viewer, at: string): Promise<MeasureRecord> {
    const { agencyId } = responsibility;
    const reportedPeriods = responsibility.reported ?? [];
    const current = roleOf(measure.responsibilities, agencyId);
    if (!current) throw new NotFoundError(`Agency ${agencyId} holds no responsibility for the measure.`, 'agencyId');
    const remaining = Object.fromEntries(Object.entries(measure.responsibilities).filter(([id]) => id !== agencyId));
    const { leadAgencyId: _lead, assignedOn: _assigned, ...rest } = measure;
    const next: MeasureRecord = {
      ...rest,
      ...(measure.leadAgencyId && measure.leadAgencyId !== agencyId ? { leadAgencyId: measure.leadAgencyId } : {}),
      ...withAssignedDay(measure, agencyId, undefined),
      responsibilities: remaining,
      version: measure.version + 1,
      updatedAt: at,
    };
    await transact(this.db, [
      ...measureEntity.replace(measure, next, {
        expectedVersion: measure.version,
        stale: 'retry',
        idField: 'measureId',
        // The role owes no more reports; the reports it submitted no longer count against what is owed.
        counters: [[owedKey(assignedDay(measure, agencyId)), -1], ...reportedPeriods.map((p) => [submittedKey(p), -1] as const)],
      }),
      responsibilityEntity.removeAsRead(responsibility),
      ...this.audit.entry({
        action: 'removeResponsibility',
        entityId: measure.id,
        actor,
        before: { agencyId, role: current },
        after: { agencyId, role: null },
        ownerAgencyIds: Object.keys(measure.responsibilities),
        facts: { agencyId, role: current },
        at,
      }),
    ]);
    return next;
  }

  /** An entry of the integrations registry, active or revoked. */
  integration(clientId: string): Promise<IntegrationRecord | undefined> {
    return loadItem(this.db, 'responsibilities', integrationEntity.key(clientId), integrationEntity.parse);
  }

  /** The active integrations, by name (bounded: the registry holds at most its cap of active entries). */
  integrations(): Promise<IntegrationRecord[]> {
    return queryAll(this.db, {
      table: 'responsibilities',
      index: 'gsi2',
      keyCondition: 'gsi2pk = :pk',
      values: { ':pk': integrationEntity.directoryPk },
      forward: true,
      parse: integrationEntity.parse,
    });
  }

  /**
   * Registers an integration (a client id registered before, even revoked, is a CONFLICT naming `clientId`), with its
   * audit entry; the registry's count is held below `cap`, and the agency it acts for, as read, is a condition.
   */
  async registerIntegration(integration: IntegrationRecord, agency: AgencyRecord | null, actor: Viewer, cap?: Cap): Promise<void> {
    await transact(this.db, [
      integrationEntity.create(integration),
      integrationEntity.counted(cap),
      ...(agency ? [agencyEntity.unchanged(agency)] : []),
      ...this.audit.entry({
        action: 'registerIntegration',
        entityId: integration.clientId,
        actor,
        before: null,
        after: { ...integration },
        ownerAgencyIds: integration.agencyId ? [integration.agencyId] : [],
        facts: grantFacts(integration),
        at: integration.updatedAt,
      }),
    ]);
  }

  /**
   * Replaces an integration read at `current.version`: a change of its role, agency, scopes or name
   * (`updateIntegration`), or its revocation, which also frees its place under the cap (`revokeIntegration`).
   */
  async replaceIntegration(
    action: 'updateIntegration' | 'revokeIntegration',
    current: IntegrationRecord,
    next: IntegrationRecord,
    agency: AgencyRecord | null,
    actor: Viewer,
  ): Promise<void> {
    await transact(this.db, [
      integrationEntity.replace(current, next),
      ...(action === 'revokeIntegration' ? [integrationEntity.uncounted()] : []),
      ...(agency ? [agencyEntity.unchanged(agency)] : []),
      ...this.audit.entry({
        action,
        entityId: next.clientId,
        actor,
        before: { ...current },
        after: { ...next },
        ownerAgencyIds: [current.agencyId, next.agencyId].filter((id): id is string => id !== null),
        facts: grantFacts(next),
        at: next.updatedAt,
      }),
    ]);
  }
}
