import type { AgencyKind, AgencyRecord } from '../agencies/agencies.model.js';
import type { AllocationRecord, BudgetLineRecord, DisbursementRecord } from '../funding/funding.model.js';
import type { MeasureRecord, MeasureStatus, PlanRecord } from '../plans/plans.model.js';
import { NotFoundError, UnreachableCaseError } from '../shared/errors.js';
import { formatMoney } from '../shared/money.js';

/**
 * An IATI 2.03 activity file (docs/iati.md) of one action plan: one `iati-activity` per measure that
 * has funding, rendered as a stream of chunks so that a plan with 100,000 allocations never sits in
 * memory whole. Element order, required elements and attributes follow iati-activities-schema.xsd
 * (test/exports/iati/ holds a copy); code values are those of docs/iati.md.
 *
 * The renderer is pure: it reads nothing but its input, and the lists in it are iterables the caller
 * builds (from DynamoDB in ./iati-data.ts, from arrays in tests). A list already filtered to what the
 * reader may read gives a consistent file: budgets, organisations and whether a measure is funded are
 * all derived from what the lists yield.
 */

/** An organisation as the file names it. */
export type IatiOrganisation = Pick<AgencyRecord, 'id' | 'name' | 'kind'> & { readonly organizationNumber?: string | null };
export type IatiMeasure = Pick<MeasureRecord, 'id' | 'number' | 'title' | 'description' | 'status' | 'updatedAt'> & {
  /** The agency holding LEAD on the measure, if any. */
  readonly leadAgencyId?: string | null;
};
export type IatiBudgetLine = Pick<BudgetLineRecord, 'id' | 'agencyId' | 'fiscalYear' | 'chapter' | 'post' | 'title'>;
/** An allocation: the ministry holding its line (`lineAgencyId`) funds it; `createdAt` dates the commitment. */
export type IatiAllocation = Pick<
  AllocationRecord,
  'id' | 'budgetLineId' | 'fiscalYear' | 'lineAgencyId' | 'measureId' | 'recipientId' | 'amountOre' | 'disbursedOre' | 'createdAt'
>;
export type IatiDisbursement = Pick<DisbursementRecord, 'id' | 'allocationId' | 'date' | 'amountOre' | 'createdAt'>;

type Many<T> = AsyncIterable<T> | Iterable<T>;

/** Everything one plan's file is made of. */
export interface IatiPlanData {
  /** When the file is made (ISO 8601): `generated-datetime`. */
  readonly generatedAt: string;
  readonly plan: Pick<PlanRecord, 'id' | 'title' | 'periodStart' | 'periodEnd'>;
  /** The coordinating ministry: the reporting organisation, and the prefix of every activity identifier. */
  readonly reportingOrg: IatiOrganisation;
  /** Agencies by id: at least every line holder, LEAD and recipient the lists name (a missing one is named by its id). */
  readonly organisations: ReadonlyMap<string, IatiOrganisation>;
  /** The plan's budget lines by id: what a transaction's description names. */
  readonly budgetLines: ReadonlyMap<string, IatiBudgetLine>;
  /** The plan's measures, in the order their activities appear. */
  readonly measures: readonly IatiMeasure[];
  /** Every allocation made to a measure, as the reader may see them. May be called twice per measure: each call must list them anew. */
  readonly allocationsOf: (measureId: string) => Many<IatiAllocation>;
  /** Every disbursement of an allocation; never called for an allocation whose `disbursedOre` is 0. */
  readonly disbursementsOf: (allocationId: string) => Many<IatiDisbursement>;
}

export interface IatiRenderOptions {
  /**
   * Allocations and disbursements of one measure kept from the first reading for the second; a measure
   * with more is read twice instead (its organisations and budgets precede its transactions in the file).
   * @default 2000
   */
  readonly keepPerMeasure?: number;
  /**
   * Disbursement lists read at once (each is one request to DynamoDB).
   * @default 16
   */
  readonly readAhead?: number;
  /**
   * Characters gathered before a chunk is yielded.
   * @default 65536
   */
  readonly chunkSize?: number;
}

/** IATI codes used (the codelists' values as published by IATI; docs/iati.md). */
export const IATI = {
  transactionType: { commitment: '2', disbursement: '3' },
  organisationRole: { funding: '1', accountable: '2', implementing: '4' },
  organisationType: { government: '10', nationalNgo: '22' },
  activityStatus: { pipeline: '1', implementation: '2', finalisation: '3', closed: '4', cancelled: '5' },
  budgetType: { original: '1' },
  budgetStatus: { committed: '2' },
  activityDateType: { plannedStart: '1', plannedEnd: '3' },
  descriptionType: { general: '1' },
} as const;

const LANG = 'nb';

/** The organisation identifier of an agency: `NO-BRC-<organisasjonsnummer>`, or null when it has none. */
export function organisationRef(org: Pick<IatiOrganisation, 'organizationNumber'>): string | null {
  const n = org.organizationNumber?.replace(/\s/g, '');
  return n && /^\d{9}$/.test(n) ? `NO-BRC-${n}` : null;
}

/**
 * The reporting organisation's identifier. IATI requires one; a coordinator without an
 * organisasjonsnummer gets a placeholder that no registration agency issues (`XX-SAMORDNING-<id>`):
 * the file is valid against the schema, but must not be published to the IATI Registry until the
 * ministry's number is recorded (updateAgency).
 */
export function reportingOrgRef(org: IatiOrganisation): string {
  return organisationRef(org) ?? `XX-SAMORDNING-${identifierPart(org.id)}`;
}

/** An activity's identifier: the reporting organisation's identifier, a dash, and the measure's id (which never changes). */
export function activityIdentifier(reportingOrg: IatiOrganisation, measureId: string): string {
  return `${reportingOrgRef(reportingOrg)}-${identifierPart(measureId)}`;
}

/** IATI identifiers may not hold `/`, `&`, `|`, `?` or white space: ids are slugs, anything else becomes `_`. */
const identifierPart = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_');

/** The IATI OrganisationType of an agency kind; null (no `type`) for OTHER. */
export function organisationType(kind: AgencyKind): string | null {
  switch (kind) {
    case 'MINISTRY':
    case 'DIRECTORATE':
    case 'MUNICIPALITY':
    case 'POLICE':
      return IATI.organisationType.government;
    case 'NGO':
      return IATI.organisationType.nationalNgo;
    case 'OTHER':
      return null;
    default:
      throw new UnreachableCaseError(kind);
  }
}

/**
 * The IATI ActivityStatus of a measure, given what its funding shows. NOT_REPORTED claims nothing of
 * progress, so the money decides: paid out is Implementation, only committed is Pipeline. A COMPLETED
 * measure is Closed once every allocated krone is paid, else Finalisation.
 */
export function activityStatus(status: MeasureStatus, funding: { readonly allocatedOre: bigint; readonly disbursedOre: bigint }): string {
  switch (status) {
    case 'NOT_REPORTED':
      return funding.disbursedOre > 0n ? IATI.activityStatus.implementation : IATI.activityStatus.pipeline;
    case 'PLANNED':
      return IATI.activityStatus.pipeline;
    case 'IN_PROGRESS':
    case 'DELAYED':
      return IATI.activityStatus.implementation;
    case 'COMPLETED':
      return funding.disbursedOre >= funding.allocatedOre ? IATI.activityStatus.closed : IATI.activityStatus.finalisation;
    case 'DISCONTINUED':
      return IATI.activityStatus.cancelled;
    default:
      throw new UnreachableCaseError(status);
  }
}

// Characters XML 1.0 cannot hold at all (C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone surrogates): dropped.
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters XML forbids is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text content, escaped. */
export function escapeText(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value, escaped for double quotes; line breaks and tabs kept as references (a parser would fold them). */
export function escapeAttribute(value: string): string {
  return escapeText(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** ` name="value"` for each attribute that has a value. */
function attrs(values: Readonly<Record<string, string | null | undefined>>): string {
  let out = '';
  for (const [name, value] of Object.entries(values))
    if (value !== null && value !== undefined) out += ` ${name}="${escapeAttribute(value)}"`;
  return out;
}

const narrative = (text: string) => `<narrative xml:lang="${LANG}">${escapeText(text)}</narrative>`;
const day = (iso: string) => iso.slice(0, 10);

/** What the first reading of a measure's funding learns. */
interface MeasureFunding {
  readonly funders: Set<string>;
  readonly recipients: Set<string>;
  /** Allocated øre per fiscal year. */
  readonly perYear: Map<number, bigint>;
  allocatedOre: bigint;
  disbursedOre: bigint;
  allocationCount: number;
  lastUpdated: string;
  /** The transactions, when they were few enough to keep; else null, and they are read again. */
  kept: Entry[] | null;
}

/** An allocation with its disbursements. */
interface Entry {
  readonly allocation: IatiAllocation;
  readonly disbursements: readonly IatiDisbursement[];
}

async function entryOf(data: IatiPlanData, allocation: IatiAllocation): Promise<Entry> {
  const disbursements: IatiDisbursement[] = [];
  // An allocation nothing was paid from has no disbursement to list: no request for it.
  if (allocation.disbursedOre > 0n) for await (const d of data.disbursementsOf(allocation.id)) disbursements.push(d);
  return { allocation, disbursements };
}

/**
 * A measure's allocations, each with its disbursements, in the order listed. Up to `readAhead`
 * disbursement lists are read at once: one request each, so a large file is not one round trip per
 * allocation after another.
 */
async function* entriesOf(data: IatiPlanData, measureId: string, readAhead: number): AsyncGenerator<Entry> {
  const pending: Promise<Entry>[] = [];
  try {
    for await (const allocation of data.allocationsOf(measureId)) {
      if (allocation.measureId !== measureId) throw new Error(`Allocation ${allocation.id} is not one of measure ${measureId}`);
      const entry = entryOf(data, allocation);
      // Awaited in turn below; until then a failure must not count as unhandled.
      entry.catch(() => undefined);
      pending.push(entry);
      const next = pending.length >= readAhead ? pending.shift() : undefined;
      if (next) yield await next;
    }
    for (let next = pending.shift(); next; next = pending.shift()) yield await next;
  } finally {
    // A reader that stops early leaves nothing running unobserved.
    await Promise.allSettled(pending);
  }
}

async function readFunding(data: IatiPlanData, measure: IatiMeasure, keep: number, readAhead: number): Promise<MeasureFunding> {
  const f: MeasureFunding = {
    funders: new Set(),
    recipients: new Set(),
    perYear: new Map(),
    allocatedOre: 0n,
    disbursedOre: 0n,
    allocationCount: 0,
    lastUpdated: measure.updatedAt,
    kept: [],
  };
  let kept = 0;
  for await (const entry of entriesOf(data, measure.id, readAhead)) {
    const { allocation, disbursements } = entry;
    f.allocationCount++;
    f.funders.add(allocation.lineAgencyId);
    if (allocation.recipientId) f.recipients.add(allocation.recipientId);
    f.perYear.set(allocation.fiscalYear, (f.perYear.get(allocation.fiscalYear) ?? 0n) + allocation.amountOre);
    f.allocatedOre += allocation.amountOre;
    if (allocation.createdAt > f.lastUpdated) f.lastUpdated = allocation.createdAt;
    for (const d of disbursements) {
      f.disbursedOre += d.amountOre;
      if (d.createdAt > f.lastUpdated) f.lastUpdated = d.createdAt;
    }
    kept += 1 + disbursements.length;
    if (f.kept && kept <= keep) f.kept.push(entry);
    else f.kept = null;
  }
  return f;
}

/** An organisation element's attributes and name. */
function orgParts(data: IatiPlanData, agencyId: string): { ref: string | null; type: string | null; name: string } {
  const org = data.organisations.get(agencyId);
  if (!org) return { ref: null, type: null, name: agencyId };
  return { ref: organisationRef(org), type: organisationType(org.kind), name: org.name };
}

function participatingOrg(data: IatiPlanData, agencyId: string, role: string): string {
  const o = orgParts(data, agencyId);
  return `<participating-org${attrs({ ref: o.ref, type: o.type, role })}>${narrative(o.name)}</participating-org>`;
}

function transactionOrg(data: IatiPlanData, element: 'provider-org' | 'receiver-org', agencyId: string | null): string {
  if (!agencyId) return '';
  const o = orgParts(data, agencyId);
  return `<${element}${attrs({ ref: o.ref, type: o.type })}>${narrative(o.name)}</${element}>`;
}

function lineLabel(data: IatiPlanData, allocation: IatiAllocation): string {
  const line = data.budgetLines.get(allocation.budgetLineId);
  if (!line) return `Budsjettpost ${allocation.budgetLineId} (${allocation.fiscalYear})`;
  return `Kap. ${line.chapter} post ${String(line.post).padStart(2, '0')} ${line.title} (${line.fiscalYear})`;
}

function commitment(data: IatiPlanData, a: IatiAllocation): string {
  const date = day(a.createdAt);
  return (
    `<transaction${attrs({ ref: a.id })}>` +
    `<transaction-type code="${IATI.transactionType.commitment}"/>` +
    `<transaction-date iso-date="${date}"/>` +
    `<value value-date="${date}">${formatMoney(a.amountOre)}</value>` +
    `<description>${narrative(`Tildeling fra ${lineLabel(data, a)}`)}</description>` +
    transactionOrg(data, 'provider-org', a.lineAgencyId) +
    transactionOrg(data, 'receiver-org', a.recipientId) +
    '</transaction>\n'
  );
}

function disbursement(data: IatiPlanData, a: IatiAllocation, d: IatiDisbursement): string {
  if (d.allocationId !== a.id) throw new Error(`Disbursement ${d.id} is not one of allocation ${a.id}`);
  return (
    `<transaction${attrs({ ref: d.id })}>` +
    `<transaction-type code="${IATI.transactionType.disbursement}"/>` +
    `<transaction-date iso-date="${escapeAttribute(d.date)}"/>` +
    `<value value-date="${escapeAttribute(d.date)}">${formatMoney(d.amountOre)}</value>` +
    `<description>${narrative(`Utbetaling av tildeling ${a.id} fra ${lineLabel(data, a)}`)}</description>` +
    transactionOrg(data, 'provider-org', a.lineAgencyId) +
    transactionOrg(data, 'receiver-org', a.recipientId) +
    '</transaction>\n'
  );
}

/** An activity up to its first transaction. */
function activityHead(data: IatiPlanData, measure: IatiMeasure, f: MeasureFunding): string {
  const reporting = data.reportingOrg;
  const description = measure.description?.trim()
    ? measure.description
    : `Tiltak ${measure.number === null ? measure.id : measure.number} i ${data.plan.title}`;
  const parts = [
    `<iati-activity${attrs({ 'last-updated-datetime': f.lastUpdated, 'xml:lang': LANG, 'default-currency': 'NOK' })}>`,
    `<iati-identifier>${escapeText(activityIdentifier(reporting, measure.id))}</iati-identifier>`,
    `<reporting-org${attrs({ ref: reportingOrgRef(reporting), type: organisationType(reporting.kind) ?? IATI.organisationType.government })}>${narrative(reporting.name)}</reporting-org>`,
    `<title>${narrative(measure.title)}</title>`,
    `<description type="${IATI.descriptionType.general}">${narrative(description)}</description>`,
    ...[...f.funders].sort().map((id) => participatingOrg(data, id, IATI.organisationRole.funding)),
    ...(measure.leadAgencyId ? [participatingOrg(data, measure.leadAgencyId, IATI.organisationRole.accountable)] : []),
    ...[...f.recipients].sort().map((id) => participatingOrg(data, id, IATI.organisationRole.implementing)),
    `<activity-status code="${activityStatus(measure.status, f)}"/>`,
    `<activity-date type="${IATI.activityDateType.plannedStart}" iso-date="${escapeAttribute(data.plan.periodStart)}"/>`,
    `<activity-date type="${IATI.activityDateType.plannedEnd}" iso-date="${escapeAttribute(data.plan.periodEnd)}"/>`,
    ...[...f.perYear.entries()]
      .sort(([a], [b]) => a - b)
      .map(
        ([year, ore]) =>
          `<budget type="${IATI.budgetType.original}" status="${IATI.budgetStatus.committed}">` +
          `<period-start iso-date="${year}-01-01"/><period-end iso-date="${year}-12-31"/>` +
          `<value value-date="${year}-01-01">${formatMoney(ore)}</value></budget>`,
      ),
  ];
  return `${parts.join('\n')}\n`;
}

/**
 * Renders a plan's IATI activity file in chunks (UTF-8 text, about `chunkSize` characters each).
 * Each measure's funding is read once for its organisations and budgets, which precede its
 * transactions; its transactions come from that reading when few, else from a second one. A plan
 * with no funded measure has no valid file (the schema wants one activity at least): NotFoundError,
 * thrown before the first chunk.
 */
export async function* renderIatiActivities(data: IatiPlanData, options: IatiRenderOptions = {}): AsyncGenerator<string> {
  const keep = options.keepPerMeasure ?? 2000;
  const chunkSize = options.chunkSize ?? 65536;
  const readAhead = options.readAhead ?? 16;
  let buffer = '';
  let started = false;
  for (const measure of data.measures) {
    const f = await readFunding(data, measure, keep, readAhead);
    if (f.allocationCount === 0 || f.allocatedOre === 0n) continue;
    if (!started) {
      started = true;
      buffer += `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities${attrs({ version: '2.03', 'generated-datetime': data.generatedAt })}>\n`;
    }
    buffer += activityHead(data, measure, f);
    if (buffer.length >= chunkSize) {
      yield buffer;
      buffer = '';
    }
    const transactions = f.kept ?? entriesOf(data, measure.id, readAhead);
    for await (const { allocation, disbursements } of transactions) {
      buffer += commitment(data, allocation);
      for (const d of disbursements) buffer += disbursement(data, allocation, d);
      if (buffer.length >= chunkSize) {
        yield buffer;
        buffer = '';
      }
    }
    buffer += '</iati-activity>\n';
  }
  if (!started)
    throw new NotFoundError(`Plan ${data.plan.id} has no funded measure to export: an IATI file holds one activity at least.`, 'planId');
  yield `${buffer}</iati-activities>\n`;
}
