import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../test/harness';
import FundingPage from './FundingPage';

const line = (id: string, agency: string) => ({
  __typename: 'BudgetLine',
  id,
  fiscalYear: 2014,
  chapter: 440,
  post: 1,
  title: `Post ${id}`,
  appropriated: '1000000.00',
  allocated: '250000.50',
  agency: { __typename: 'Agency', id: agency, name: agency.toUpperCase() },
});
const answers = {
  FundingSummary: {
    data: {
      fundingSummary: [
        { __typename: 'FundingTotal', key: '1', label: 'Forebygge', fiscalYear: null, allocated: '750000.00', disbursed: '250000.00' },
        { __typename: 'FundingTotal', key: '2', label: 'Bistand', fiscalYear: null, allocated: '250000.00', disbursed: '0.00' },
      ],
    },
  },
  BudgetLines: { data: { budgetLines: [line('l1', 'jd'), line('l2', 'hod')] } },
};

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
    renderWithApp(<FundingPage />, { viewer: 'jd', answers });
    await screen.findByText('Post l1');
    expect(screen.getAllByRole('button', { name: /^Tildel midler fra/ }).map((b) => b.getAttribute('aria-label'))).toEqual([
      'Tildel midler fra 440/01 Post l1',
    ]);
    expect(screen.getByText('Registrer utbetaling')).toBeTruthy();
  });

  it('lets the coordinator allocate from every line', async () => {
    renderWithApp(<FundingPage />, { viewer: 'coordinator', answers });
    await screen.findByText('Post l1');
    expect(screen.getAllByRole('button', { name: /^Tildel midler fra/ })).toHaveLength(2);
  });
});
