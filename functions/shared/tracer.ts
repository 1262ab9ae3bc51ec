import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Handler } from 'aws-lambda';

/**
 * The X-Ray tracer (Powertools). It records a subsegment for every AWS SDK call of the clients given to
 * `captureAWSv3Client` (the DynamoDB client, the Secrets Manager client) and the GraphQL operation as an annotation.
 * It is a no-op wherever Lambda is not (`AWS_EXECUTION_ENV` unset: `npm start`, tests, scripts, benchmarks) and
 * when `POWERTOOLS_TRACE_ENABLED=false`, so nothing there needs an X-Ray daemon.
 *
 * Responses are never recorded (`captureResponse: false`): they may hold shelter addresses. Outgoing HTTP is not
 * patched: the function calls nothing but AWS APIs, which the SDK subsegments already show.
 */
export const tracer = new Tracer({ serviceName: 'samordning', captureHTTPsRequests: false });

/** X-Ray annotation values are indexed strings; an operation name is the client's choice, so it is bounded. */
const MAX_ANNOTATION_LENGTH = 100;

/** Annotates the current request's subsegment with the GraphQL operation, searchable in X-Ray (`annotation.operation`). */
export function annotateOperation(operationName: string | null | undefined, operationType: string | undefined): void {
  if (!tracer.isTracingEnabled()) return;
  tracer.putAnnotation('operation', (operationName ?? 'anonymous').slice(0, MAX_ANNOTATION_LENGTH));
  if (operationType !== undefined) tracer.putAnnotation('operationType', operationType);
}

/**
 * Runs a Lambda handler inside a subsegment of its own (`## handler`), as Powertools' `captureLambdaHandler` does:
 * Lambda's own segment takes no annotations, this one does (cold start, service, operation). Errors are marked on it.
 */
export function traced<TEvent, TResult>(handler: Handler<TEvent, TResult>): Handler<TEvent, TResult> {
  return async (event, context, callback) => {
    // The handlers here are async: their promise is the result, and the callback goes unused.
    const run = async () => (await handler(event, context, callback)) as TResult;
    if (!tracer.isTracingEnabled()) return run();
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment('## handler');
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await run();
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
    }
  };
}
