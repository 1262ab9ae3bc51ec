import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { errorAnswer, renderWithApp, type SentOperation } from '../test/harness';
import BudgetLinePage from './BudgetLinePage';

const revision = {
  __typename: 'BudgetRevision',
  appropriated: '1450000.00',
  reason: 'Revidert nasjonalbudsjett',
  decidedOn: '2013-06-21',
  recordedAt: '2013-06-24T10:00:00.000Z',
};
// `holder`: what the API answers the viewer under test for `viewerCanRevise` (the coordinator, or the line's holder).
const line = (version: number, revisions: unknown[] = [revision], holder = false) => ({
  __typename: 'BudgetLine',
  id: 'line-1',
  fiscalYear: 2013,
  chapter: 440,
  post: 1,
  title: 'Politidirektoratet',
  version,
  viewerCanRevise: holder,
  appropriated: revisions.length > 0 ? '1450000.00' : '1200000.00',
  appropriatedOriginal: '1200000.00',
  allocated: '870802.71',
  agency: { __typename: 'Agency', id: 'jd', name: 'Justisdepartementet' },
  revisions,
});
const allocations = {
  data: {
    allocations: {
      __typename: 'AllocationConnection',
      edges: [],
      pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
    },
  },
};

beforeEach(() => {
  window.history.replaceState(null, '', '/budget-lines/line-1?year=2013');
  sessionStorage.clear();
});

describe('a budget line page', () => {
  it('shows the original and current appropriation and each revision, with no form for a funder', async () => {
    const { sent } = renderWithApp(<BudgetLinePage params={{ id: 'line-1' }} />, {
      viewer: 'funder',
      answers: { BudgetLineDetail: { data: { budgetLines: [line(2)] } }, FundingAllocations: allocations },
    });
    expect(await screen.findByRole('heading', { level: 1, name: '440/01 Politidirektoratet' })).toBeTruthy();
    const figures = screen.getByText('Opprinnelig bevilget').closest('dl') as HTMLElement;
    expect(figures.textContent?.replace(/[\u00a0\u202f]/g, ' ')).toContain('Opprinnelig bevilget1 200 000 krBevilget nå1 450 000 kr');
    expect(screen.getByRole('cell', { name: 'Revidert nasjonalbudsjett' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Revider bevilgningen' })).toBeNull();
    expect(sent.find((s) => s.operationName === 'BudgetLineDetail')?.variables).toEqual({ fiscalYear: 2013 });
    expect(sent.find((s) => s.operationName === 'FundingAllocations')?.variables.filter).toEqual({ budgetLineId: 'line-1' });
  });

  it('finds the year from the first allocation when the address has none', async () => {
    window.history.replaceState(null, '', '/budget-lines/line-1');
    const withOne = {
      data: {
        allocations: {
          __typename: 'AllocationConnection',
          edges: [
            {
              __typename: 'AllocationEdge',
              node: {
                __typename: 'Allocation',
                id: 'a1',
                amount: '10.00',
                disbursed: '0.00',
                budgetLine: { ...line(2), agency: { __typename: 'Agency', id: 'jd', name: 'Justisdepartementet' } },
                measure: null,
                recipient: { __typename: 'Agency', id: 'nav', name: 'NAV' },
                shelter: null,
              },
            },
          ],
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'a1' },
        },
      },
    };
    const { sent } = renderWithApp(<BudgetLinePage params={{ id: 'line-1' }} />, {
      viewer: 'viewer',
      answers: { BudgetLineDetail: { data: { budgetLines: [line(2)] } }, FundingAllocations: withOne },
    });
    expect(await screen.findByRole('heading', { level: 1, name: '440/01 Politidirektoratet' })).toBeTruthy();
    expect(sent.find((s) => s.operationName === 'BudgetLineDetail')?.variables).toEqual({ fiscalYear: 2013 });
  });

  it('lets the holder revise at the version read; on CONFLICT it reloads, keeps the revision and sends it at the new version', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    let current = line(2, [revision], true);
    const revise = (op: SentOperation) => {
      if (++attempt === 1)
        return errorAnswer('The budget line has changed since version 2; it is now at version 3.', {
          code: 'CONFLICT',
          field: 'expectedVersion',
          currentVersion: 3,
        });
      const input = op.variables.input as { appropriated: string; reason: string; decidedOn: string };
      current = {
        ...line(4, [revision], true),
        appropriated: input.appropriated,
        revisions: [
          revision,
          {
            ...revision,
            recordedAt: '2013-11-30T09:00:00.000Z',
            appropriated: input.appropriated,
            reason: input.reason,
            decidedOn: input.decidedOn,
          },
        ],
      };
      return { data: { reviseBudgetLine: { __typename: 'BudgetLinePayload', budgetLine: current } } };
    };
    // After the conflict, someone else's revision has moved the line to version 3.
    const lineAsStored = () => ({
      data: { budgetLines: [attempt === 0 ? line(2, [revision], true) : attempt === 1 ? line(3, [revision], true) : current] },
    });
    const { sent } = renderWithApp(<BudgetLinePage params={{ id: 'line-1' }} />, {
      viewer: 'jd',
      answers: {
        BudgetLineDetail: lineAsStored,
        FundingAllocations: allocations,
        ReviseBudgetLine: revise,
        FundingSummary: { data: { fundingSummary: [] } },
      },
    });
    await screen.findByLabelText(/^Ny bevilgning/);
    // Below what is allocated: refused before sending.
    await user.type(screen.getByLabelText(/^Ny bevilgning/), '800000');
    await user.type(screen.getByLabelText(/^Begrunnelse/), 'Kutt i RNB');
    await user.type(screen.getByLabelText(/^Vedtatt/), '2014-01-02');
    await user.click(screen.getByRole('button', { name: 'Lagre revisjonen' }));
    expect(screen.getByText(/Bevilgningen kan ikke bli lavere enn det som allerede er tildelt \(870\s802,71\s*kr\)/)).toBeTruthy();
    expect(screen.getByText('Datoen kan ikke være etter budsjettåret 2013.')).toBeTruthy();
    expect(sent.some((s) => s.operationName === 'ReviseBudgetLine')).toBe(false);

    await user.clear(screen.getByLabelText(/^Ny bevilgning/));
    await user.type(screen.getByLabelText(/^Ny bevilgning/), '1 500 000');
    await user.clear(screen.getByLabelText(/^Vedtatt/));
    await user.type(screen.getByLabelText(/^Vedtatt/), '2013-11-29');
    await user.click(screen.getByRole('button', { name: 'Lagre revisjonen' }));
    expect(await screen.findByText('Noen andre har endret dette siden du åpnet det (nå versjon 3).')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Hent siste versjon og behold endringene mine' }));
    expect(await screen.findByText(/Siste versjon er hentet/)).toBeTruthy();
    expect((screen.getByLabelText(/^Ny bevilgning/) as HTMLInputElement).value).toBe('1 500 000');
    await user.click(screen.getByRole('button', { name: 'Lagre revisjonen' }));
    expect(await screen.findByText(/Bevilgningen er revidert til 1\s500\s000\s*kr/)).toBeTruthy();
    const inputs = sent.filter((s) => s.operationName === 'ReviseBudgetLine').map((s) => s.variables.input);
    expect(inputs).toEqual([
      { id: 'line-1', appropriated: '1500000.00', reason: 'Kutt i RNB', decidedOn: '2013-11-29', expectedVersion: 2 },
      { id: 'line-1', appropriated: '1500000.00', reason: 'Kutt i RNB', decidedOn: '2013-11-29', expectedVersion: 3 },
    ]);
    const revisions = screen.getByRole('table', { name: 'Revisjoner' });
    expect(within(revisions).getAllByRole('row')).toHaveLength(3);
  });
});
