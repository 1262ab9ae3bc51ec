import { parse } from 'csv-parse/sync';
import { createRepositories } from '../functions/app/context.js';
import {
  type MeasureRecord,
  type MeasureStatus,
  measureStatuses,
  type PlanRecord,
  type ResponsibilityRole,
} from '../functions/plans/plans.model.js';
import type { Db } from '../functions/shared/db.js';
import type { Provenance } from '../functions/shared/provenance.js';
import type { Viewer } from '../functions/shared/viewer.js';

/**
 * Loads a plan's measures and responsibilities from CSV, through the same repositories,
 * transactions and audit as the API. Every row is validated before anything is written; one bad
 * row and nothing is written. A second run of the same file writes nothing.
 *
 * Columns (header row required, in any order):
 *   plan_id      the plan, e.g. hp-2011-2014
 *   measure_id   stable id: lower-case letters, digits and dashes
 *   number       the measure's number in the plan, or empty
 *   title        1–300 characters
 *   description  up to 5,000 characters, or empty
 *   goals        goal numbers separated by ';', or empty
 *   status       PLANNED, IN_PROGRESS, COMPLETED, DELAYED or DISCONTINUED (empty: NOT_REPORTED)
 *   lead         the agency with main responsibility, or empty
 *   shared       agencies with shared responsibility separated by ';', or empty
 * The file states each listed measure's responsibilities in full: an agency not named loses its role.
 */
export const COLUMNS = ['plan_id', 'measure_id', 'number', 'title', 'description', 'goals', 'status', 'lead', 'shared'] as const;

export interface RowProblem {
  readonly line: number;
  readonly message: string;
}

interface ImportRow {
  readonly line: number;
  readonly planId: string;
  readonly id: string;
  readonly number: number | null;
  readonly title: string;
  readonly description: string | null;
  readonly goalNumbers: number[];
  readonly status: MeasureStatus;
  readonly responsibilities: Record<string, ResponsibilityRole>;
}

export interface ImportResult {
  readonly rows: number;
  readonly problems: readonly RowProblem[];
  /** Transactions written: measures created or changed, roles assigned or removed. */
  readonly writes: number;
}

const ID = /^[a-z0-9][a-z0-9-]{0,127}$/;
const list = (cell: string) =>
  cell
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

export async function importMeasures(
  db: Db,
  csv: string,
  actor: Viewer,
  progress: (done: number, total: number) => void = () => undefined,
  /** The file's name, which each record's provenance cites with the line it came from. */
  file = 'import.csv',
): Promise<ImportResult> {
  const problems: RowProblem[] = [];
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { rows: 0, problems: [{ line, message: `The file is not valid CSV: ${(error as Error).message}` }], writes: 0 };
  }
  const header = Object.keys(records[0] ?? {});
  const missing = COLUMNS.filter((c) => !header.includes(c));
  if (records.length > 0 && missing.length > 0)
    return { rows: records.length, problems: [{ line: 1, message: `Missing columns: ${missing.join(', ')}.` }], writes: 0 };

  const { plans, agencies } = createRepositories(db);
  const planCache = new Map<string, PlanRecord | undefined>();
  const agencyCache = new Map<string, boolean>();
  const rows: ImportRow[] = [];
  const seenIds = new Map<string, number>();
  const seenNumbers = new Map<string, number>();

  for (const [index, record] of records.entries()) {
    // Line numbers count the header as line 1 (records here have no embedded line breaks to skew them).
    const line = index + 2;
    const bad = (message: string) => problems.push({ line, message });
    const cell = (name: (typeof COLUMNS)[number]) => record[name] ?? '';
    const planId = cell('plan_id');
    if (!planCache.has(planId)) planCache.set(planId, await plans.plan(planId));
    const plan = planCache.get(planId);
    if (!plan) bad(`plan_id: there is no plan "${planId}".`);
    const id = cell('measure_id');
    if (!ID.test(id)) bad('measure_id: lower-case letters, digits and dashes only, 1–128 characters.');
    else if (seenIds.has(id)) bad(`measure_id: "${id}" is also on line ${seenIds.get(id)}.`);
    else seenIds.set(id, line);
    const numberCell = cell('number');
    const number = numberCell === '' ? null : Number(numberCell);
    if (number !== null && (!Number.isInteger(number) || number < 1 || (plan && number > plan.measureCount))) {
      bad(`number: a whole number from 1 to ${plan?.measureCount ?? 'the plan’s measure count'}, or empty.`);
    } else if (number !== null) {
      const key = `${planId}#${number}`;
      if (seenNumbers.has(key)) bad(`number: ${number} is also on line ${seenNumbers.get(key)}.`);
      else seenNumbers.set(key, line);
    }
    const title = cell('title');
    if (title.length === 0 || title.length > 300) bad('title: 1–300 characters.');
    const description = cell('description');
    if (description.length > 5000) bad('description: at most 5,000 characters.');
    const goalNumbers = list(cell('goals')).map(Number);
    const unknownGoals = goalNumbers.filter((g) => !plan?.goals.some((pg) => pg.number === g));
    if (plan && unknownGoals.length > 0) bad(`goals: the plan has no goal ${unknownGoals.join(', ')}.`);
    const status = (cell('status') || 'NOT_REPORTED') as MeasureStatus;
    if (!measureStatuses.includes(status)) bad(`status: one of ${measureStatuses.join(', ')}.`);
    const lead = cell('lead');
    const shared = list(cell('shared'));
    const responsibilities: Record<string, ResponsibilityRole> = {};
    for (const agencyId of [...(lead ? [lead] : []), ...shared]) {
      if (!agencyCache.has(agencyId)) agencyCache.set(agencyId, ID.test(agencyId) && (await agencies.agency(agencyId)) !== undefined);
      if (!agencyCache.get(agencyId)) bad(`${agencyId === lead ? 'lead' : 'shared'}: there is no agency "${agencyId}".`);
      if (responsibilities[agencyId]) bad(`shared: "${agencyId}" is named twice.`);
      responsibilities[agencyId] = agencyId === lead ? 'LEAD' : 'SHARED';
    }
    if (problems.some((p) => p.line === line)) continue;
    rows.push({
      line,
      planId,
      id,
      number,
      title,
      description: description || null,
      goalNumbers: [...new Set(goalNumbers)].sort((a, b) => a - b),
      status,
      responsibilities,
    });
  }

  // Against what is stored: a number held by another measure, or a number that would change.
  for (const row of rows) {
    const existing = await plans.measure(row.id);
    if (existing && existing.planId !== row.planId)
      problems.push({ line: row.line, message: `measure_id: "${row.id}" belongs to plan ${existing.planId}.` });
    if (existing && existing.number !== row.number)
      problems.push({ line: row.line, message: `number: "${row.id}" has number ${existing.number ?? 'none'}; a number cannot change.` });
    if (!existing && row.number !== null) {
      const holder = await plans.measureWithNumber(row.planId, row.number);
      if (holder !== undefined && holder !== row.id)
        problems.push({ line: row.line, message: `number: ${row.number} belongs to measure ${holder}.` });
    }
  }
  if (problems.length > 0) return { rows: records.length, problems: problems.sort((a, b) => a.line - b.line), writes: 0 };

  let writes = 0;
  for (const [index, row] of rows.entries()) {
    db.loader.clearAll();
    let measure = await plans.measure(row.id);
    const at = new Date().toISOString();
    const provenance: Provenance = { kind: 'IMPORT', reference: `${file}:${row.line}`, recordedAt: at };
    if (!measure) {
      measure = await plans.createMeasure(
        {
          id: row.id,
          planId: row.planId,
          number: row.number,
          title: row.title,
          description: row.description,
          status: row.status,
          version: 1,
          updatedAt: at,
          goalNumbers: row.goalNumbers,
          responsibilities: {},
          provenance,
        },
        actor,
      );
      writes++;
    } else {
      const changes = changesOf(measure, row);
      if (Object.keys(changes).length > 0) {
        measure = await plans.updateMeasure(
          measure,
          { ...measure, ...changes, version: measure.version + 1, updatedAt: at },
          measure.version,
          actor,
        );
        writes++;
      }
    }
    // Roles the row does not name end; a LEAD that moves becomes SHARED first, so the new LEAD's condition holds.
    for (const [agencyId, role] of Object.entries(measure.responsibilities)) {
      const wanted = row.responsibilities[agencyId];
      if (wanted === role) continue;
      if (!wanted) {
        // The role as stored, with the periods it reported for (its counters go with it).
        const held = await agencies.responsibility(measure.id, agencyId);
        if (!held) throw new Error(`measure ${measure.id} names ${agencyId}, whose responsibility item is missing`);
        measure = await agencies.remove(measure, held, actor, at);
      } else if (role === 'LEAD') measure = await agencies.assign(measure, agencyId, 'SHARED', actor, at, provenance);
      else continue;
      writes++;
    }
    for (const [agencyId, role] of Object.entries(row.responsibilities).sort(([, a], [, b]) => (a === b ? 0 : a === 'SHARED' ? -1 : 1))) {
      if (measure.responsibilities[agencyId] === role) continue;
      measure = await agencies.assign(measure, agencyId, role, actor, at, provenance);
      writes++;
    }
    progress(index + 1, rows.length);
  }
  return { rows: records.length, problems: [], writes };
}

function changesOf(m: MeasureRecord, row: ImportRow): Partial<Pick<MeasureRecord, 'title' | 'description' | 'status' | 'goalNumbers'>> {
  return {
    ...(m.title !== row.title ? { title: row.title } : {}),
    ...(m.description !== row.description ? { description: row.description } : {}),
    ...(m.status !== row.status ? { status: row.status } : {}),
    ...(JSON.stringify(m.goalNumbers) !== JSON.stringify(row.goalNumbers) ? { goalNumbers: row.goalNumbers } : {}),
  };
}
