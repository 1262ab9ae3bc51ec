import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Context } from '../app/context.js';
import { type FundingGroupBy, fundingGroupBys } from '../funding/funding.model.js';
import {
  allocationListOf,
  allocationsPage,
  appropriatedOriginalOf,
  budgetLines,
  disbursementListOf,
  disbursementsPage,
  fundingSummary,
} from '../funding/funding.queries.js';
import { isIsoDate } from '../shared/dates.js';
import { type HttpErrorAnswer, httpAnswerOf, internalHttpAnswer, notFoundAnswer } from '../shared/error-answers.js';
import { BadUserInputError, DomainError, NotFoundError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import { headerOf } from '../shared/media-type.js';
import { assertCanReadFunding, assertOperationScope } from '../shared/policy.js';
import { provenanceOf } from '../shared/provenance.js';
import { capacityTimeline } from '../shelters/capacity.js';
import { type Granularity, granularities } from '../shelters/shelters.model.js';
import { type Cell, CsvWriter, type Dialect, dialects, fraction, int, money, text } from './csv.js';
import { renderIatiActivities } from './iati.js';
import { loadIatiPlanData } from './iati-data.js';

/** Where exports live on the API, beside /graphql, behind the same authorizer. */
export const EXPORTS_PREFIX = '/exports/';

/** What a dataset's query parameters may hold: each parameter's name and how to read it. */
type Params = Readonly<Record<string, string>>;

interface Dataset {
  /** The query parameters it takes (besides `dialect`). */
  readonly params: readonly string[];
  readonly header: readonly string[];
  /** Every row, page by page: the rows the same reader gets through GraphQL, by the same domain queries. */
  rows(ctx: Context, params: Params): AsyncIterable<readonly Cell[]>;
}

const FISCAL_YEAR = /^\d{4}$/;
function yearParam(params: Params, name: string): number | null {
  const value = params[name];
  if (value === undefined) return null;
  if (!FISCAL_YEAR.test(value)) throw new BadUserInputError(`${name} must be a year of four digits.`, name);
  return Number(value);
}

function required<T>(value: T | null, name: string): T {
  if (value === null) throw new BadUserInputError(`${name} is required.`, name);
  return value;
}

function oneOf<T extends string>(params: Params, name: string, values: readonly T[]): T | null {
  const value = params[name];
  if (value === undefined) return null;
  if (!(values as readonly string[]).includes(value)) throw new BadUserInputError(`${name} must be one of ${values.join(', ')}.`, name);
  return value as T;
}

function dateParam(params: Params, name: string): string {
  const value = required(params[name] ?? null, name);
  if (!isIsoDate(value)) throw new BadUserInputError(`${name} must be a date (YYYY-MM-DD).`, name);
  return value;
}

/**
 * Pages an export reads: 1,000 items a Query (about 0.6 MB of allocations, within DynamoDB's 1 MB a
 * response), so 100,000 rows take 100 Queries, and memory holds one page of records at a time.
 */
const EXPORT_PAGE = 1000;

/**
 * Every record of a list, page by page, through the domain query the `allocations` / `disbursements` resolvers
 * call (the same policy check, on every page) after the same filter parsing.
 */
async function* everyRecord<T>(
  page: (after: string | null) => Promise<{ items: readonly { node: T; cursor: string }[]; hasNextPage: boolean }>,
): AsyncIterable<T> {
  let after: string | null = null;
  for (;;) {
    const { items, hasNextPage } = await page(after);
    for (const item of items) yield item.node;
    const last = items.at(-1);
    if (!hasNextPage || !last) return;
    after = last.cursor;
  }
}

const SUMMARY_HEADER = ['key', 'label', 'fiscalYear', 'appropriated', 'allocated', 'disbursed', 'rate', 'demoShare'];

export const datasets: Readonly<Record<string, Dataset>> = {
  'budget-lines': {
    params: ['fiscalYear', 'agencyId'],
    header: [
      'id',
      'fiscalYear',
      'agencyId',
      'chapter',
      'post',
      'title',
      'appropriatedOriginal',
      'appropriated',
      'allocated',
      'disbursed',
      'provenance',
    ],
    async *rows(ctx, params) {
      const fiscalYear = required(yearParam(params, 'fiscalYear'), 'fiscalYear');
      const lines = await budgetLines(ctx, fiscalYear, params.agencyId ?? null);
      for (const l of lines) {
        yield [
          text(l.id),
          int(l.fiscalYear),
          text(l.agencyId),
          int(l.chapter),
          int(l.post),
          text(l.title),
          money(appropriatedOriginalOf(l)),
          money(l.appropriatedOre),
          money(l.allocatedOre),
          money(l.disbursedOre),
          text(provenanceOf(l, l.createdAt).kind),
        ];
      }
    },
  },
  allocations: {
    params: ['budgetLineId', 'measureId', 'recipientAgencyId', 'shelterId', 'fiscalYear'],
    header: [
      'id',
      'budgetLineId',
      'fiscalYear',
      'lineAgencyId',
      'measureId',
      'recipientAgencyId',
      'shelterId',
      'amount',
      'disbursed',
      'createdAt',
      'provenance',
    ],
    async *rows(ctx, params) {
      const filter = {
        ...params,
        ...(params.fiscalYear !== undefined ? { fiscalYear: required(yearParam(params, 'fiscalYear'), 'fiscalYear') } : {}),
      };
      const list = allocationListOf(filter);
      for await (const a of everyRecord((after) => allocationsPage(ctx, list, null, after, EXPORT_PAGE))) {
        yield [
          text(a.id),
          text(a.budgetLineId),
          int(a.fiscalYear),
          text(a.lineAgencyId),
          text(a.measureId),
          text(a.recipientId),
          text(a.shelterId),
          money(a.amountOre),
          money(a.disbursedOre),
          text(a.createdAt),
          text(provenanceOf(a, a.createdAt).kind),
        ];
      }
    },
  },
  disbursements: {
    params: ['allocationId', 'recipientAgencyId', 'fiscalYear'],
    header: ['id', 'allocationId', 'recipientAgencyId', 'date', 'amount', 'provenance'],
    async *rows(ctx, params) {
      const filter = {
        ...params,
        ...(params.fiscalYear !== undefined ? { fiscalYear: required(yearParam(params, 'fiscalYear'), 'fiscalYear') } : {}),
      };
      const list = disbursementListOf(filter);
      for await (const d of everyRecord((after) => disbursementsPage(ctx, list, null, after, EXPORT_PAGE))) {
        yield [
          text(d.id),
          text(d.allocationId),
          text(d.recipientId),
          text(d.date),
          money(d.amountOre),
          text(provenanceOf(d, d.createdAt).kind),
        ];
      }
    },
  },
  'funding-summary': {
    params: ['planId', 'groupBy', 'fiscalYear'],
    header: SUMMARY_HEADER,
    async *rows(ctx, params) {
      const args = {
        planId: required(params.planId ?? null, 'planId'),
        groupBy: required(oneOf<FundingGroupBy>(params, 'groupBy', fundingGroupBys), 'groupBy'),
        fiscalYear: yearParam(params, 'fiscalYear'),
      };
      const rows = await fundingSummary(ctx, args);
      for (const r of rows) {
        yield [
          text(r.key),
          text(r.label),
          int(r.fiscalYear),
          money(r.appropriated),
          money(r.allocated),
          money(r.disbursed),
          fraction(r.rate),
          fraction(r.demoShare),
        ];
      }
    },
  },
  'capacity-timeline': {
    params: ['from', 'to', 'granularity', 'region', 'shelterId'],
    // occupiedMargin last: columns that existed keep their places for readers that take them by position.
    header: ['period', 'region', 'reportingShelters', 'capacity', 'occupied', 'utilization', 'suppressed', 'demoShare', 'occupiedMargin'],
    async *rows(ctx, params) {
      const filter = {
        from: dateParam(params, 'from'),
        to: dateParam(params, 'to'),
        granularity: required(oneOf<Granularity>(params, 'granularity', granularities), 'granularity'),
        region: params.region ?? null,
        shelterId: params.shelterId ?? null,
      };
      // The same suppression and disclosure control as the GraphQL answer: the same domain query.
      const points = await capacityTimeline(ctx, filter);
      for (const p of points) {
        yield [
          text(p.period),
          text(p.region),
          int(p.reportingShelters),
          int(p.capacity),
          int(p.occupied),
          fraction(p.utilization),
          text(p.suppressed ? 'true' : 'false'),
          fraction(p.demoShare),
          int(p.occupiedMargin),
        ];
      }
    },
  },
};

/**
 * The IATI 2.03 activity file of a plan (docs/iati.md): the plan, its funded measures, lines and
 * organisations read once, then each measure's allocations and each allocation's disbursements page by
 * page through the same lists and policy as `allocations(filter: { measureId })` and
 * `disbursements(filter: { allocationId })`. A plan that does not exist is 400 naming `planId`; a plan
 * with no funded measure is 404 (IATI has no empty activity file).
 */
async function iatiFile(ctx: Context, planId: string): Promise<{ chunks: string[]; activities: number }> {
  // The plan's lines and summary are read before the first list (which checks again): the same rule first.
  assertCanReadFunding(ctx.viewer);
  const data = await loadIatiPlanData(ctx, planId, {
    allocationsOfMeasure: (measureId) =>
      everyRecord((after) => allocationsPage(ctx, allocationListOf({ measureId }), null, after, EXPORT_PAGE)),
    disbursementsOfAllocation: (allocationId) =>
      everyRecord((after) => disbursementsPage(ctx, disbursementListOf({ allocationId }), null, after, EXPORT_PAGE)),
  });
  const chunks: string[] = [];
  for await (const chunk of renderIatiActivities(data)) chunks.push(chunk);
  return { chunks, activities: data.measures.length };
}

function plain(statusCode: number, message: string, extra: Record<string, unknown> = {}): APIGatewayProxyStructuredResultV2 {
  return answered({ status: statusCode, body: { message, ...extra } });
}

/** An error answer of functions/shared/error-answers.ts as the exports send it: JSON, never cached. */
function answered({ status, body }: HttpErrorAnswer): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

/**
 * What a Lambda function may answer API Gateway: 6 MB of response, headers and JSON framing included.
 * A body is sent gzipped (base64) when the client accepts it, which fits some ten times more CSV.
 */
const MAX_RESPONSE_BYTES = 5_800_000;

function fileResponse(
  event: APIGatewayProxyEventV2,
  body: string,
  file: string,
  contentType = 'text/csv; charset=utf-8; header=present',
): APIGatewayProxyStructuredResultV2 {
  const headers = {
    'content-type': contentType,
    'content-disposition': `attachment; filename="${file}"`,
    'cache-control': 'no-store',
  };
  const accepts = headerOf(event.headers, 'accept-encoding') ?? '';
  const bytes = Buffer.byteLength(body, 'utf8');
  if (/\bgzip\b/i.test(accepts) && bytes > 64 * 1024) {
    const zipped = gzipSync(body).toString('base64');
    if (zipped.length <= MAX_RESPONSE_BYTES)
      return {
        statusCode: 200,
        headers: { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' },
        body: zipped,
        isBase64Encoded: true,
      };
  } else if (bytes <= MAX_RESPONSE_BYTES) {
    return { statusCode: 200, headers, body };
  }
  return plain(
    413,
    `The export is larger than one response may be (${Math.ceil(bytes / 1e6)} MB); narrow it with a filter, or accept gzip.`,
    {
      code: 'BAD_REQUEST',
      limit: 'response',
    },
  );
}

/**
 * A path segment or query part, percent-decoded; a malformed escape (`%ZZ`, a cut-off `%E0%A4%A`, an overlong
 * `%C0%AE`) is the caller's mistake: 400 naming `field`, never a URIError that would answer 500. URLSearchParams is
 * not used for the query because it turns a malformed escape into U+FFFD silently.
 */
function percentDecoded(text: string, field: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new BadUserInputError(`${field} is not valid percent-encoded UTF-8.`, field);
  }
}

/**
 * Records an export in the audit trail (and so, through the trail's stream, as a change event) once its response
 * is a file the reader receives: an export refused as too large (413) was not delivered, and is not recorded as if
 * it had been. The entry is written before the response leaves, so no file is delivered unrecorded.
 */
async function auditDelivered(
  ctx: Context,
  response: APIGatewayProxyStructuredResultV2,
  dataset: string,
  filters: Readonly<Record<string, string>>,
  dialect: string,
  rows: number,
): Promise<void> {
  if (response.statusCode !== 200) return;
  await ctx.audit.appendRead({
    action: 'export',
    entityId: `export:${dataset}`,
    actor: ctx.viewer,
    before: null,
    after: { dataset, filters: { ...filters }, dialect, rows },
    ownerAgencyIds: ctx.viewer.agencyId ? [ctx.viewer.agencyId] : [],
    at: new Date().toISOString(),
  });
}

/** The query parameters, each at most once; the dialect apart. */
function paramsOf(event: APIGatewayProxyEventV2): { params: Record<string, string>; dialect: Dialect } {
  // Without a prototype: a parameter named `__proto__` is a key like any other (and then an unknown filter), not
  // an assignment to the object's prototype that would drop it silently.
  const params: Record<string, string> = Object.create(null);
  for (const pair of (event.rawQueryString ?? '').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const rawName = at < 0 ? pair : pair.slice(0, at);
    const name = percentDecoded(rawName.replaceAll('+', ' '), 'query');
    const value = percentDecoded((at < 0 ? '' : pair.slice(at + 1)).replaceAll('+', ' '), name.slice(0, 40));
    if (Object.hasOwn(params, name)) throw new BadUserInputError(`${name} is given more than once.`, name);
    params[name] = value;
  }
  const { dialect = 'rfc4180', ...rest } = params;
  if (!(dialects as readonly string[]).includes(dialect))
    throw new BadUserInputError(`dialect must be one of ${dialects.join(', ')}.`, 'dialect');
  return { params: rest, dialect: dialect as Dialect };
}

/** A file name from the dataset and its filters, in characters every system accepts. */
function fileName(dataset: string, params: Params): string {
  const parts = [dataset, ...Object.entries(params).flat()].map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '_'));
  return `${parts.join('-').slice(0, 150)}.csv`;
}

/**
 * Answers `GET /exports/{dataset}.csv` and `GET /exports/iati-activities/{planId}.xml`; an unknown export
 * is 400 naming `dataset`, another method 405, and any other path is not an export (undefined: GraphQL answers it). The
 * context is made only for an export with a token, so a request without one is 401 and reads nothing.
 */
export async function answerExport(
  event: APIGatewayProxyEventV2,
  makeContext: () => Promise<Context>,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  const path = event.rawPath ?? '';
  if (!path.startsWith(EXPORTS_PREFIX)) return undefined;
  const method = event.requestContext.http.method;
  if (method !== 'GET') return plain(405, 'Exports answer GET only.');
  const hasToken = Boolean((event.requestContext as { authorizer?: { jwt?: { claims?: unknown } } }).authorizer?.jwt?.claims);
  if (!hasToken)
    return {
      ...plain(401, 'A valid access token is required.'),
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
    };
  const name = path.slice(EXPORTS_PREFIX.length);
  // An export is a read: an integration's token without `samordning/read` is refused (403) before anything is read.
  const readerContext = async () => {
    const ctx = await makeContext();
    assertOperationScope(ctx.viewer, 'query');
    return ctx;
  };
  try {
    const iati = /^iati-activities\/([^/]+)\.xml$/.exec(name);
    if (iati?.[1]) {
      const planId = percentDecoded(iati[1], 'planId');
      if (event.rawQueryString) throw new BadUserInputError('The IATI export takes no query parameters.', 'query');
      const ctx = await readerContext();
      const file = await iatiFile(ctx, planId).catch((error: unknown) => {
        // Nothing funded: IATI has no empty activity file (a plan that does not exist stays 400 below).
        if (error instanceof NotFoundError) return answered(notFoundAnswer(error));
        throw error;
      });
      if (!('chunks' in file)) return file;
      const name = `iati-activities-${planId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100)}.xml`;
      const response = fileResponse(event, file.chunks.join(''), name, 'application/xml; charset=utf-8');
      await auditDelivered(ctx, response, 'iati-activities', { planId }, 'iati-2.03', file.activities);
      return response;
    }
    const csv = /^([a-z-]+)\.csv$/.exec(name);
    const dataset = csv?.[1] && Object.hasOwn(datasets, csv[1]) ? datasets[csv[1]] : undefined;
    if (!csv?.[1] || !dataset)
      return plain(
        400,
        `Unknown export ${JSON.stringify(name.slice(0, 80))}: one of ${Object.keys(datasets)
          .map((d) => `${d}.csv`)
          .join(', ')}.`,
        { field: 'dataset' },
      );
    const { params, dialect } = paramsOf(event);
    const unknown = Object.keys(params).find((p) => !dataset.params.includes(p));
    if (unknown !== undefined)
      throw new BadUserInputError(
        `Unknown filter ${JSON.stringify(unknown.slice(0, 40))}: ${csv[1]} takes ${dataset.params.join(', ')} and dialect.`,
        unknown.slice(0, 40),
      );
    const ctx = await readerContext();
    const writer = new CsvWriter(dialect);
    // Chunks of text, not rows: what memory holds grows with the file's bytes, and records are let go page by page.
    const chunks: string[] = [writer.header(dataset.header)];
    let rows = 0;
    for await (const cells of dataset.rows(ctx, params)) {
      chunks.push(writer.row(cells));
      rows++;
    }
    const response = fileResponse(event, chunks.join(''), fileName(csv[1], params));
    await auditDelivered(ctx, response, csv[1], params, dialect, rows);
    return response;
  } catch (error) {
    // A plan that does not exist is a bad filter value here: 400 naming it (error-answers.ts, NOT_FOUND).
    if (error instanceof DomainError) return answered(httpAnswerOf(error));
    const correlationId = event.requestContext.requestId ?? randomUUID();
    logger.error('Export failed', { correlationId, errorName: error instanceof Error ? error.name : 'unknown' });
    return answered(internalHttpAnswer(correlationId));
  }
}
