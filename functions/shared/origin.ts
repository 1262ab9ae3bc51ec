import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RotatingSecret } from './cursor-keys.js';
import { graphqlErrorsBody } from './error-answers.js';
import { graphqlMediaType, headerOf } from './media-type.js';

/** The header the CloudFront distribution adds to every request it sends to the API (infra/web-hosting.ts). */
export const ORIGIN_HEADER = 'x-samordning-origin';

/**
 * Refuses a request that did not come through the stage's CloudFront distribution, where the WAF is: the distribution
 * adds `x-samordning-origin` with the value of a secret that viewers never see (CloudFront overwrites a viewer's header
 * of that name), and this compares it with the secret's current and previous versions, so that a rotation (a new value,
 * then a deploy that gives it to CloudFront) refuses nothing in between. The execute-api URL still answers, but only
 * with this 403: whatever the WAF would stop cannot reach the resolvers around it.
 *
 * With no `ORIGIN_SECRET_ARN` (npm start, tests) there is no distribution and nothing to check.
 */
export function requireDistribution(secretArn: string | undefined, secret = secretArn ? new RotatingSecret(secretArn) : undefined) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2 | undefined> => {
    if (!secret) return undefined;
    const given = headerOf(event.headers, ORIGIN_HEADER);
    const { current, previous } = await secret.values();
    const matches = [current, previous].map((value) => value !== undefined && given !== undefined && same(given, value));
    if (matches.includes(true)) return undefined;
    return {
      statusCode: 403,
      headers: { 'content-type': graphqlMediaType(headerOf(event.headers, 'accept')) },
      body: graphqlErrorsBody("This API answers through its web app's address only.", { code: 'FORBIDDEN' }),
    };
  };
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
