import { type Caller, executeText } from './api.js';
import type { Handler } from './environment.js';

/** Staff of Arbeidsdepartementet, a ministry that holds budget lines. */
export const ministry = { groups: ['agency:ad'], subject: 'user-ad' } as const satisfies Caller;

export const CREATE_LINE = `mutation ($input: CreateBudgetLineInput!) { createBudgetLine(input: $input) { budgetLine { id appropriated allocated agency { id } } } }`;
export const ALLOCATE = `mutation ($input: AllocateFundsInput!) { allocateFunds(input: $input) { allocation { id amount disbursed budgetLine { id allocated } } } }`;
export const DISBURSE = `mutation ($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { disbursement { id date amount } allocation { id amount disbursed } } }`;

let lines = 0;

/** A budget line of Arbeidsdepartementet (a fresh chapter each time, so lines never collide). */
export async function createBudgetLine(
  handler: Handler,
  overrides: Record<string, unknown> = {},
  caller: Caller = ministry,
): Promise<string> {
  lines++;
  const res = await executeText<{ createBudgetLine: { budgetLine: { id: string } } }>(handler, caller, CREATE_LINE, {
    input: {
      fiscalYear: 2012,
      agencyId: 'ad',
      chapter: 600 + lines,
      post: 70,
      title: `Tilskudd ${lines}`,
      appropriated: '1000000.00',
      ...overrides,
    },
  });
  if (res.errors) throw new Error(`createBudgetLine failed: ${JSON.stringify(res.errors)}`);
  return res.data?.createBudgetLine.budgetLine.id ?? '';
}

export async function allocate(handler: Handler, input: Record<string, unknown>, caller: Caller = ministry) {
  return executeText<{
    allocateFunds: { allocation: { id: string; amount: string; disbursed: string; budgetLine: { allocated: string } } };
  }>(handler, caller, ALLOCATE, {
    input: { idempotencyKey: `k-${Math.random().toString(36).slice(2)}`, ...input },
  });
}

export async function disburse(handler: Handler, input: Record<string, unknown>, caller: Caller = ministry) {
  return executeText<{ recordDisbursement: { disbursement: { id: string }; allocation: { disbursed: string } } }>(
    handler,
    caller,
    DISBURSE,
    {
      input: { idempotencyKey: `k-${Math.random().toString(36).slice(2)}`, date: '2012-06-01', ...input },
    },
  );
}
