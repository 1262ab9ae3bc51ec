import { describe, expect, it } from 'vitest';
import { annotateOperation, traced, tracer } from '../../functions/shared/tracer.js';

describe('the tracer outside Lambda', () => {
  it('is off where AWS_EXECUTION_ENV is unset (npm start, tests, scripts): no X-Ray daemon is needed', () => {
    expect(process.env.AWS_EXECUTION_ENV).toBeUndefined();
    expect(tracer.isTracingEnabled()).toBe(false);
  });

  it('passes a traced handler through unchanged, results and errors alike', async () => {
    // Prepare
    const ok = traced(async (event: { n: number }) => ({ statusCode: 200, body: String(event.n) }));
    const failing = traced(async () => {
      throw new Error('boom');
    });

    // Act, Assess
    await expect(ok({ n: 7 }, {} as never, () => undefined)).resolves.toEqual({ statusCode: 200, body: '7' });
    await expect(failing({}, {} as never, () => undefined)).rejects.toThrow('boom');
    expect(() => annotateOperation('MeasureDetail', 'query')).not.toThrow();
  });
});
