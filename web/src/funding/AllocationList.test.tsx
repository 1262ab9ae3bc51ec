import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithApp, type SentOperation } from '../test/harness';
import AllocationList from './AllocationList';

const line = (agency: string) => ({
  __typename: 'BudgetLine',
  id: `line-${agency}`,
  fiscalYear: 2013,
  chapter: 440,
  post: 1,
  title: 'Politidirektoratet',
  agency: { __typename: 'Agency', id: agency, name: agency.toUpperCase() },
});
// `mine`: what the API answers the viewer under test for `viewerCanDisburse` (the coordinator, or the line's holder).
const allocation = (n: number, agency = 'jd', mine = false) => ({
  __typename: 'Allocation',
  id: `alloc-${n}`,
  amount: `${n}000.00`,
  disbursed: '0.00',
  viewerCanDisburse: mine,
  budgetLine: line(agency),
  measure: { __typename: 'Measure', id: `m${n}`, number: n, title: `Tiltak ${n}` },
  recipient: { __typename: 'Agency', id: 'nav', name: 'NAV' },
  shelter: null,
});
const page = (nodes: unknown[], endCursor: string | null, hasNextPage: boolean) => ({
  data: {
    allocations: {
      __typename: 'AllocationConnection',
      edges: nodes.map((node) => ({ __typename: 'AllocationEdge', node })),
      pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor },
    },
  },
});
const pages = (op: SentOperation) =>
  op.variables.after === 'c2' ? page([allocation(3)], 'c3', false) : page([allocation(1), allocation(2)], 'c2', true);
const noDisbursements = {
  data: {
    disbursements: {
      __typename: 'DisbursementConnection',
      edges: [],
      pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
    },
  },
};

describe('the allocations behind a total', () => {
  it('pages with "show more", each page once, by the filter given', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<AllocationList filter={{ recipientAgencyId: 'nav' }} caption="Tildelinger til NAV" />, {
      viewer: 'funder',
      answers: { FundingAllocations: pages },
    });
    const table = await screen.findByRole('table', { name: 'Tildelinger til NAV' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    await user.click(screen.getByRole('button', { name: 'Vis flere' }));
    expect(await screen.findByText('3. Tiltak 3 · NAV')).toBeTruthy();
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(screen.queryByRole('button', { name: 'Vis flere' })).toBeNull();
    expect(sent.filter((s) => s.operationName === 'FundingAllocations').map((s) => [s.variables.filter, s.variables.after])).toEqual([
      [{ recipientAgencyId: 'nav' }, undefined],
      [{ recipientAgencyId: 'nav' }, 'c2'],
    ]);
    // Each line links to its page, with the year the page reads it by.
    expect(within(table).getAllByRole('link', { name: '440/01 Politidirektoratet' })[0]?.getAttribute('href')).toBe(
      '/budget-lines/line-jd?year=2013',
    );
  });

  it('lets a funder open the disbursements, with no form to record one', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<AllocationList filter={{ fiscalYear: 2013 }} caption="Tildelinger 2013" />, {
      viewer: 'funder',
      answers: {
        FundingAllocations: page([allocation(1)], 'c1', false),
        FundingDisbursements: {
          data: {
            disbursements: {
              __typename: 'DisbursementConnection',
              edges: [
                {
                  __typename: 'DisbursementEdge',
                  node: {
                    __typename: 'Disbursement',
                    id: 'd1',
                    date: '2013-05-02',
                    amount: '250.50',
                    allocation: { __typename: 'Allocation', id: 'alloc-1' },
                  },
                },
              ],
              pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'd1' },
            },
          },
        },
      },
    });
    await user.click(await screen.findByRole('button', { name: /^Utbetalinger fra 440\/01/ }));
    expect(await screen.findByText(/250,50\s*kr/)).toBeTruthy();
    expect(screen.queryByLabelText(/^Utbetalingsdato/)).toBeNull();
    expect(sent.find((s) => s.operationName === 'FundingDisbursements')?.variables.filter).toEqual({ allocationId: 'alloc-1' });
  });

  it('lets the holder record a payment against the allocation picked, within what is left of it', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<AllocationList filter={{ fiscalYear: 2013 }} caption="Tildelinger 2013" />, {
      viewer: 'jd',
      answers: {
        FundingAllocations: page([allocation(1, 'jd', true), allocation(2, 'hod')], 'c2', false),
        FundingDisbursements: noDisbursements,
        FundingSummary: { data: { fundingSummary: [] } },
        RecordDisbursement: {
          data: {
            recordDisbursement: {
              __typename: 'DisbursementPayload',
              disbursement: { __typename: 'Disbursement', id: 'd9', date: '2013-06-01', amount: '500.00' },
              allocation: { __typename: 'Allocation', id: 'alloc-1', amount: '1000.00', disbursed: '500.00' },
            },
          },
        },
      },
    });
    await screen.findByText('1. Tiltak 1 · NAV');
    // Only the line the viewer holds offers a payment; the other shows its disbursements.
    expect(screen.getAllByRole('button', { name: /^Utbetal fra/ })).toHaveLength(1);
    expect(screen.getAllByRole('button', { name: /^Utbetalinger fra/ })).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: /^Utbetal fra/ }));
    expect(await screen.findByText(/Ikke utbetalt ennå: 1\s000\s*kr/)).toBeTruthy();
    await user.type(screen.getByLabelText(/^Utbetalingsdato/), '2014-01-01');
    await user.type(screen.getByLabelText(/^Beløp/), '1000,01');
    await user.click(screen.getByRole('button', { name: 'Registrer utbetaling' }));
    expect(screen.getByText('Datoen må ligge i budsjettåret 2013.')).toBeTruthy();
    expect(screen.getByText(/Beløpet er mer enn det som ikke er utbetalt/)).toBeTruthy();
    expect(sent.some((s) => s.operationName === 'RecordDisbursement')).toBe(false);
    await user.clear(screen.getByLabelText(/^Utbetalingsdato/));
    await user.type(screen.getByLabelText(/^Utbetalingsdato/), '2013-06-01');
    await user.clear(screen.getByLabelText(/^Beløp/));
    await user.type(screen.getByLabelText(/^Beløp/), '500');
    await user.click(screen.getByRole('button', { name: 'Registrer utbetaling' }));
    expect(await screen.findByText(/er utbetalt fra tildeling alloc-1/)).toBeTruthy();
    expect(sent.find((s) => s.operationName === 'RecordDisbursement')?.variables.input).toMatchObject({
      allocationId: 'alloc-1',
      date: '2013-06-01',
      amount: '500.00',
    });
  });
});
