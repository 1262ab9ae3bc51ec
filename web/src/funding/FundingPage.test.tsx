import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithApp, type SentOperation } from '../test/harness';
import FundingPage from './FundingPage';

// `mine`: what the API answers the viewer under test for `viewerCanAllocate` (the coordinator, or the line's holder).
const line = (id: string, agency: string, mine = false) => ({
  __typename: 'BudgetLine',
  id,
  fiscalYear: 2014,
  chapter: 440,
  post: 1,
  title: `Post ${id}`,
  appropriated: '1000000.00',
  allocated: '250000.50',
  viewerCanAllocate: mine,
  agency: { __typename: 'Agency', id: agency, name: agency.toUpperCase() },
});
const answersFor = (may: { l1?: boolean; l2?: boolean } = {}) => ({
  FundingSummary: {
    data: {
      fundingSummary: [
        { __typename: 'FundingTotal', key: '1', label: 'Forebygge', fiscalYear: null, allocated: '750000.00', disbursed: '250000.00' },
        { __typename: 'FundingTotal', key: '2', label: 'Bistand', fiscalYear: null, allocated: '250000.00', disbursed: '0.00' },
      ],
    },
  },
  FundingLines: { data: { budgetLines: [line('l1', 'jd', may.l1), line('l2', 'hod', may.l2)] } },
});
const answers = answersFor();

describe('the funding page', () => {
  it('sums exactly and says it in a sentence beside the table', async () => {
    renderWithApp(<FundingPage />, { viewer: 'funder', answers });
    const sentence = await screen.findByText(/^Totalt tildelt/);
    expect(sentence.textContent?.replace(/[\u00a0\u202f]/g, ' ')).toBe(
      'Totalt tildelt 1 000 000 kr, utbetalt 250 000 kr (25 %) fordelt på 2 grupper.',
    );
    expect(screen.getAllByText(/749\s999,50 kr/)).toHaveLength(2); // what is left on each line, to the øre
  });

  it('offers a funder no writes', async () => {
    renderWithApp(<FundingPage />, { viewer: 'funder', answers });
    await screen.findByText('Post l1');
    expect(screen.queryByRole('button', { name: /Tildel midler/ })).toBeNull();
    expect(screen.queryByText('Registrer utbetaling')).toBeNull();
  });

  it('lets a holder allocate from its own lines only', async () => {
    renderWithApp(<FundingPage />, { viewer: 'jd', answers: answersFor({ l1: true }) });
    await screen.findByText('Post l1');
    expect(screen.getAllByRole('button', { name: /^Tildel midler fra/ }).map((b) => b.getAttribute('aria-label'))).toEqual([
      'Tildel midler fra 440/01 Post l1',
    ]);
    expect(screen.getByText('Registrer utbetaling')).toBeTruthy();
  });

  it('lets the coordinator allocate from every line', async () => {
    renderWithApp(<FundingPage />, { viewer: 'coordinator', answers: answersFor({ l1: true, l2: true }) });
    await screen.findByText('Post l1');
    expect(screen.getAllByRole('button', { name: /^Tildel midler fra/ })).toHaveLength(2);
  });

  it('drills from a budget line total to its allocations, and from there to the line page', async () => {
    const user = userEvent.setup();
    const allocationsOfLine = (op: SentOperation) => ({
      data: {
        allocations: {
          __typename: 'AllocationConnection',
          edges:
            (op.variables.filter as { budgetLineId?: string }).budgetLineId === 'l1'
              ? [
                  {
                    __typename: 'AllocationEdge',
                    node: {
                      __typename: 'Allocation',
                      id: 'a1',
                      amount: '250000.50',
                      disbursed: '0.00',
                      budgetLine: line('l1', 'jd'),
                      measure: null,
                      recipient: { __typename: 'Agency', id: 'nav', name: 'NAV' },
                      shelter: null,
                    },
                  },
                ]
              : [],
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'a1' },
        },
      },
    });
    const byLine = {
      ...answers,
      FundingSummary: {
        data: {
          fundingSummary: [
            { __typename: 'FundingTotal', key: 'l1', label: '440/01 Post l1', fiscalYear: 2014, allocated: '250000.50', disbursed: '0.00' },
          ],
        },
      },
      FundingAllocations: allocationsOfLine,
    };
    window.history.replaceState(null, '', '/funding?by=BUDGET_LINE');
    const { sent } = renderWithApp(<FundingPage />, { viewer: 'funder', answers: byLine });
    await user.click(await screen.findByRole('button', { name: 'Tildelinger bak 440/01 Post l1' }));
    expect(window.location.search).toContain('drill=l1');
    const heading = await screen.findByRole('heading', { name: 'Tildelinger bak 440/01 Post l1', level: 3 });
    await screen.findByRole('table', { name: 'Tildelinger bak 440/01 Post l1' });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByRole('cell', { name: 'NAV' })).toBeTruthy();
    expect(sent.find((s) => s.operationName === 'FundingAllocations')?.variables.filter).toEqual({ budgetLineId: 'l1' });
    window.history.replaceState(null, '', '/funding');
  });

  it('shows the matrix by year with appropriated and rate for agencies, and only allocated and disbursed for goals', async () => {
    const user = userEvent.setup();
    const cell = (year: number, appropriated: string | null, rate: number | null) => ({
      __typename: 'FundingTotal',
      key: 'k',
      fiscalYear: year,
      appropriated,
      allocated: '500.00',
      disbursed: '250.00',
      rate,
    });
    const matrix = (op: SentOperation) => ({
      data: {
        fundingMatrix: {
          __typename: 'FundingMatrix',
          fiscalYears: [2012, 2013],
          rows:
            op.variables.rows === 'AGENCY'
              ? [
                  {
                    __typename: 'FundingMatrixRow',
                    key: 'jd',
                    label: 'JD',
                    cells: [cell(2012, '1000.00', 0.25), cell(2013, '1000.00', 0.25)],
                  },
                ]
              : [{ __typename: 'FundingMatrixRow', key: '1', label: '1. Forebygge', cells: [cell(2013, null, null)] }],
        },
      },
    });
    window.history.replaceState(null, '', '/funding');
    renderWithApp(<FundingPage />, { viewer: 'funder', answers: { ...answers, FundingMatrixTable: matrix } });
    let table = await screen.findByRole('table', { name: 'Tildelt og utbetalt per hovedmål og budsjettår' });
    expect(within(table).queryByRole('columnheader', { name: 'Bevilget' })).toBeNull();
    expect(within(table).getAllByRole('columnheader', { name: 'Tildelt' })).toHaveLength(2);
    // A goal without funding in 2012 shows a dash there, not a zero.
    expect(within(table).getAllByRole('cell', { name: '–' })).toHaveLength(2);
    await user.selectOptions(screen.getByLabelText('Rader'), 'AGENCY');
    table = await screen.findByRole('table', { name: 'Bevilget, tildelt og utbetalt per virksomhet og budsjettår' });
    expect(within(table).getAllByRole('columnheader', { name: 'Andel utbetalt' })).toHaveLength(2);
    expect(within(table).getByRole('rowheader', { name: 'JD' })).toBeTruthy();
    expect(within(table).getAllByRole('cell', { name: /^25\s%$/ })).toHaveLength(2);
    expect(within(table).getAllByRole('columnheader', { name: '2013' })[0]?.getAttribute('scope')).toBe('colgroup');
  });
});
