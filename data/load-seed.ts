import { createRepositories } from '../functions/app/context.js';
import type { Db } from '../functions/shared/db.js';
import { ConflictError } from '../functions/shared/errors.js';
import { kindOfSource, type Provenance } from '../functions/shared/provenance.js';
import type { Viewer } from '../functions/shared/viewer.js';
import { seedAgencies, seedMeasures, seedPlan, seedShelters } from './seed.js';

/** The actor the audit trail names for seed writes. */
export const seedActor: Viewer = { subject: 'system:seed', roles: [], agencyId: null };

export interface SeedResult {
  readonly created: number;
}

/**
 * Loads the seed through the same repositories, transactions and audit as the API. Idempotent:
 * what exists is left as it is, so a second run writes nothing.
 */
export async function loadSeed(db: Db, at = new Date().toISOString()): Promise<SeedResult> {
  const { plans, agencies, shelters } = createRepositories(db);
  let created = 0;
  const from = (source: string): Provenance => ({ kind: kindOfSource(source), reference: source, recordedAt: at });
  for (const agency of seedAgencies)
    if (await agencies.createAgency({ ...agency, provenance: from(agency.source ?? '') }, seedActor, at)) created++;
  if (await plans.createPlan({ ...seedPlan, goals: seedPlan.goals, provenance: from(seedPlan.source) }, seedActor, at)) created++;
  for (const m of seedMeasures) {
    let measure = await plans.measure(m.id);
    if (!measure) {
      measure = await plans.createMeasure(
        {
          id: m.id,
          planId: seedPlan.id,
          number: m.number,
          title: m.title,
          description: null,
          status: 'NOT_REPORTED',
          version: 1,
          updatedAt: at,
          goalNumbers: [],
          responsibilities: {},
          source: m.source,
          provenance: from(m.source),
        },
        seedActor,
      );
      created++;
    }
    for (const [agencyId, role] of Object.entries(m.responsibilities)) {
      if (measure.responsibilities[agencyId] === role) continue;
      measure = await agencies.assign(measure, agencyId, role, seedActor, at, from(m.source));
      created++;
    }
  }
  for (const shelter of seedShelters) {
    try {
      await shelters.register({ ...shelter, updatedAt: at, provenance: from(shelter.source ?? '') }, seedActor);
      created++;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return { created };
}
