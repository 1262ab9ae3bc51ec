import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { graphqlErrorsBody } from '../shared/error-answers.js';
import { graphqlMediaType, headerOf } from '../shared/media-type.js';

/**
 * The most bytes a request body may hold: 64 KiB. The largest request a client has reason to send is
 * a measure with a 300-character title and a 5,000-character description, each character escaped as
 * `\uXXXX` (6 bytes, as a client that writes ASCII-only JSON sends "æ"), beside the longest document
 * a development stage accepts: 56,325 bytes (docs/limits.md; test/graphql/inputs.test.ts builds it).
 * API Gateway itself takes bodies up to 10 MB.
 */
export const MAX_BODY_BYTES = 64 * 1024;

function answer(
  event: APIGatewayProxyEventV2,
  statusCode: number,
  message: string,
  extensions: Record<string, unknown>,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': graphqlMediaType(headerOf(event.headers, 'accept')) },
    body: graphqlErrorsBody(message, extensions),
  };
}

/**
 * Refuses a body over `MAX_BODY_BYTES` with 413 before anything parses it: neither JSON.parse nor
 * GraphQL's parser nor a resolver spends time on it. Its size is measured without decoding it: a
 * base64 body's length gives its decoded size, and a text body of more characters than the limit
 * holds more bytes than the limit (a character is at least one byte of UTF-8).
 */
export async function rejectOversizedBody(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  const body = event.body;
  if (!body) return undefined;
  const bytes = event.isBase64Encoded
    ? Math.floor((body.length * 3) / 4) - (body.endsWith('==') ? 2 : body.endsWith('=') ? 1 : 0)
    : body.length > MAX_BODY_BYTES
      ? body.length
      : Buffer.byteLength(body, 'utf8');
  if (bytes <= MAX_BODY_BYTES) return undefined;
  return answer(event, 413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`, {
    code: 'BAD_REQUEST',
    limit: 'body',
    maximum: MAX_BODY_BYTES,
  });
}

/**
 * The integration parses a JSON body itself and answers a bad one with the parser's raw message.
 * This answers it first, as a GraphQL error a client can read.
 */
export async function rejectMalformedBody(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  const contentType = headerOf(event.headers, 'content-type') ?? '';
  if (!event.body || !contentType.toLowerCase().startsWith('application/json')) return undefined;
  try {
    JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
    return undefined;
  } catch {
    return answer(event, 400, 'The request body is not valid JSON.', { code: 'BAD_REQUEST' });
  }
}
