import { act, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { errorAnswer, renderWithApp, type SentOperation } from '../test/harness';
import AllocateForm from './AllocateForm';

const line = { id: 'line-1', fiscalYear: 2013, chapter: 440, post: 1, title: 'Politidirektoratet' };
const targets = {
  data: {
    actionPlan: {
      __typename: 'ActionPlan',
      id: 'hp-2011-2014',
      measures: {
        __typename: 'MeasureConnection',
        edges: [{ __typename: 'MeasureEdge', node: { __typename: 'Measure', id: 'm1', number: 5, title: 'KOM' } }],
      },
    },
    agencies: [{ __typename: 'Agency', id: 'nav', name: 'NAV' }],
  },
};
const allocation = {
  data: {
    allocateFunds: {
      __typename: 'AllocationPayload',
      allocation: {
        __typename: 'Allocation',
        id: 'alloc-1',
        amount: '1000.50',
        disbursed: '0.00',
        budgetLine: { __typename: 'BudgetLine', id: 'line-1', allocated: '1000.50' },
        measure: { __typename: 'Measure', id: 'm1', funding: { __typename: 'FundingTotals', allocated: '1000.50' } },
      },
    },
  },
};

/** Answers after a delay, so a second click lands while the first request is still out. */
const slowly = (result: unknown) => () => new Promise<never>((resolve) => setTimeout(() => resolve(result as never), 30));

async function fill(user: ReturnType<typeof userEvent.setup>) {
  await screen.findByRole('option', { name: '5. KOM' });
  await user.type(screen.getByLabelText(/^Beløp/), '1 000,5');
  await user.selectOptions(screen.getByLabelText(/^Tiltak/), 'm1');
}

const keysOf = (sent: SentOperation[]) =>
  sent.filter((s) => s.operationName === 'AllocateFunds').map((s) => (s.variables.input as { idempotencyKey: string }).idempotencyKey);

describe('allocating funds', () => {
  it('sends one idempotency key for a double click, and the amount as Money', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<AllocateForm line={line} planId="hp-2011-2014" />, {
      viewer: 'jd',
      answers: {
        FundingTargets: targets,
        AllocateFunds: slowly(allocation),
        FundingSummary: { data: { fundingSummary: [] } },
        BudgetLines: { data: { budgetLines: [] } },
      },
    });
    await fill(user);
    const form = screen.getByRole('button', { name: 'Tildel midler' }).closest('form') as HTMLFormElement;
    // Two submissions before React has re-rendered the button as disabled.
    act(() => {
      fireEvent.submit(form);
      fireEvent.submit(form);
    });
    expect(await screen.findByText(/er tildelt \(tildeling alloc-1\)/)).toBeTruthy();
    const keys = keysOf(sent);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(new Set(keys).size).toBe(1);
    expect(sent.find((s) => s.operationName === 'AllocateFunds')?.variables.input).toMatchObject({
      amount: '1000.50',
      measureId: 'm1',
      budgetLineId: 'line-1',
    });
  });

  it('keeps the key when a submission fails and is tried again, and takes a new one for the next allocation', async () => {
    const user = userEvent.setup();
    let calls = 0;
    const unavailableOnce = () =>
      ++calls === 1 ? errorAnswer('Service unavailable', { code: 'SERVICE_UNAVAILABLE', retryable: true }) : allocation;
    const { sent } = renderWithApp(<AllocateForm line={line} planId="hp-2011-2014" />, {
      viewer: 'jd',
      answers: {
        FundingTargets: targets,
        AllocateFunds: unavailableOnce,
        FundingSummary: { data: { fundingSummary: [] } },
        BudgetLines: { data: { budgetLines: [] } },
      },
    });
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Tildel midler' }));
    expect(await screen.findByText('Tjenesten er travel akkurat nå. Prøv igjen om litt.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Tildel midler' }));
    expect(await screen.findByText(/er tildelt/)).toBeTruthy();
    await user.type(screen.getByLabelText(/^Beløp/), '5');
    await user.selectOptions(screen.getByLabelText(/^Tiltak/), 'm1');
    await user.click(screen.getByRole('button', { name: 'Tildel midler' }));
    await screen.findAllByText(/er tildelt/);
    const keys = keysOf(sent);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[1]);
  });

  it('checks the amount and the target before sending', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<AllocateForm line={line} planId="hp-2011-2014" />, {
      viewer: 'jd',
      answers: { FundingTargets: targets },
    });
    await screen.findByRole('option', { name: '5. KOM' });
    await user.type(screen.getByLabelText(/^Beløp/), '12,345');
    await user.click(screen.getByRole('button', { name: 'Tildel midler' }));
    expect(screen.getByText(/høyst to desimaler/)).toBeTruthy();
    expect(screen.getByText('Velg et tiltak, en mottaker eller et botilbud.')).toBeTruthy();
    expect(keysOf(sent)).toHaveLength(0);
  });
});
