import type { ResponsibilityRole } from '../plans/plans.model.js';
import { type Db, loadItem, queryAll, queryPage } from '../shared/db.js';
import { type AgencyRecord, agencyDirectoryPk, agencyKey, agencyResponsibilitiesPk, type ResponsibilityRecord } from './agencies.model.js';

/** Reads of the responsibilities table: the agency directory and who is responsible for what. */
export class AgenciesRepository {
  constructor(private readonly db: Db) {}

  agency(id: string): Promise<AgencyRecord | undefined> {
    return loadItem<AgencyRecord>(this.db, 'responsibilities', agencyKey(id));
  }

  agencies(): Promise<AgencyRecord[]> {
    return queryAll<AgencyRecord>(this.db, {
      table: 'responsibilities',
      index: 'gsi2',
      keyCondition: 'gsi2pk = :pk',
      values: { ':pk': agencyDirectoryPk },
      forward: true,
    });
  }

  /** A page of an agency's responsibilities: LEAD first, then SHARED, each in plan order. */
  responsibilitiesOf(
    agencyId: string,
    role: ResponsibilityRole | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    return queryPage<ResponsibilityRecord>(this.db, {
      table: 'responsibilities',
      index: 'gsi1',
      keyCondition: role ? 'gsi1pk = :pk AND begins_with(gsi1sk, :role)' : 'gsi1pk = :pk',
      values: role ? { ':pk': agencyResponsibilitiesPk(agencyId), ':role': `${role}#` } : { ':pk': agencyResponsibilitiesPk(agencyId) },
      forward: true,
      scope: `responsibilities:${agencyId}:${role ?? ''}`,
      first,
      after,
    });
  }
}
