import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { limits } from '../limits';
import { measureResults } from '../test/fixtures';
import { errorAnswer, renderWithApp } from '../test/harness';
import { MilestoneForm, parseFigure, ValueForm } from './ResultForms';
import { MeasureResults } from './Results';

const milestone = (over: Record<string, unknown>) => ({
  __typename: 'Milestone',
  id: 'ms3',
  title: 'Opplæring av veiledere',
  dueDate: '2014-03-31',
  doneOn: null,
  status: 'UPCOMING',
  version: 1,
  ...over,
});

describe("a measure's milestones and indicators", () => {
  it('lists milestones with their status in words, and indicators with baseline, target and values', async () => {
    renderWithApp(<MeasureResults measureId="m1" mayManage={false} />, { viewer: 'funder', answers: { MeasureResults: measureResults() } });
    const table = await screen.findByRole('table', { name: 'Milepæler etter frist' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]?.textContent).toContain('Avtale med kommunene');
    expect(rows[1]?.textContent).toContain('Fullført');
    expect(rows[1]?.textContent).toContain('1. juni 2012');
    expect(rows[2]?.textContent).toContain('Forsinket');
    expect(screen.getByRole('heading', { level: 3, name: 'Ofre som fikk bistand' })).toBeTruthy();
    expect(screen.getByText('Utgangsverdi 120, mål 250 personer. Høyere er bedre.')).toBeTruthy();
    expect(screen.getByText('Siste verdi: 180,5 personer (2012).')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Ofre som fikk bistand: verdier per periode' }).textContent).toContain('Foreløpig tall');
    // Reading only: no forms, no actions.
    expect(screen.queryByText('Ny milepæl')).toBeNull();
    expect(screen.queryByText('Ny indikator')).toBeNull();
    expect(screen.queryByRole('button', { name: /Endre milepælen/ })).toBeNull();
  });

  it('offers those who may manage them the forms, and completion only for milestones not done', async () => {
    renderWithApp(<MeasureResults measureId="m1" mayManage />, { viewer: 'nav', answers: { MeasureResults: measureResults() } });
    await screen.findByRole('table', { name: 'Milepæler etter frist' });
    expect(screen.getByText('Ny milepæl')).toBeTruthy();
    expect(screen.getByText('Ny indikator')).toBeTruthy();
    expect(screen.getByText('Registrer verdi for «Ofre som fikk bistand»')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Endre milepælen «Avtale med kommunene»' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Marker som fullført: «Avtale med kommunene»' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Marker som fullført: «Evaluering»' })).toBeTruthy();
  });

  it('says so when there are none', async () => {
    renderWithApp(<MeasureResults measureId="m1" mayManage={false} />, {
      viewer: 'viewer',
      answers: { MeasureResults: measureResults({ milestones: [], indicators: [] }) },
    });
    expect(await screen.findByText('Tiltaket har ingen milepæler.')).toBeTruthy();
    expect(screen.getByText('Tiltaket har ingen indikatorer.')).toBeTruthy();
  });

  it('completes a milestone on the day given, and the list shows it DONE from the answer', async () => {
    const user = userEvent.setup();
    const done = milestone({ id: 'ms2', title: 'Evaluering', dueDate: '2013-12-31', doneOn: '2014-01-10', status: 'DONE', version: 2 });
    const { sent } = renderWithApp(<MeasureResults measureId="m1" mayManage />, {
      viewer: 'coordinator',
      answers: {
        MeasureResults: measureResults(),
        MilestoneDone: {
          data: {
            completeMilestone: {
              __typename: 'MilestonePayload',
              milestone: done,
              measure: { __typename: 'Measure', id: 'm1', milestones: [measureResults().data.measure.milestones[0], done] },
            },
          },
        },
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Marker som fullført: «Evaluering»' }));
    const date = await screen.findByLabelText(/^Fullført dato/);
    await user.clear(date);
    await user.type(date, '2014-01-10');
    await user.click(screen.getByRole('button', { name: 'Marker som fullført' }));
    const table = screen.getByRole('table', { name: 'Milepæler etter frist' });
    await within(table).findByText('10. jan. 2014');
    expect(within(table).getAllByRole('row')[2]?.textContent).toMatch(/^Evaluering31\. des\. 2013Fullført10\. jan\. 2014/);
    expect(sent.find((s) => s.operationName === 'MilestoneDone')?.variables.input).toEqual({ id: 'ms2', doneOn: '2014-01-10' });
  });
});

describe('the milestone and value forms', () => {
  it('adds a milestone, with the title trimmed', async () => {
    const user = userEvent.setup();
    const added = milestone({});
    const { sent } = renderWithApp(<MilestoneForm measureId="m1" />, {
      viewer: 'nav',
      answers: {
        MilestoneAdd: {
          data: {
            addMilestone: {
              __typename: 'MilestonePayload',
              milestone: added,
              measure: { __typename: 'Measure', id: 'm1', milestones: [added] },
            },
          },
        },
      },
    });
    await user.click(screen.getByRole('button', { name: 'Legg til milepælen' }));
    expect(screen.getAllByText('Fyll ut feltet.')).toHaveLength(2);
    expect(sent).toHaveLength(0);
    await user.type(screen.getByLabelText(/^Hva skal gjøres/), '  Opplæring av veiledere ');
    await user.type(screen.getByLabelText(/^Frist/), '2014-03-31');
    await user.click(screen.getByRole('button', { name: 'Legg til milepælen' }));
    expect(await screen.findByText('Milepælen «Opplæring av veiledere» er lagt til.')).toBeTruthy();
    expect(sent[0]?.variables.input).toEqual({ measureId: 'm1', title: 'Opplæring av veiledere', dueDate: '2014-03-31' });
  });

  it('refuses a title longer than the API allows (schema/limits.json), and sends one of exactly that length', async () => {
    // test/graphql/limits.test.ts pins that the server accepts the same length and refuses one more.
    const user = userEvent.setup();
    const max = limits.milestoneTitle;
    const added = milestone({});
    const { sent } = renderWithApp(<MilestoneForm measureId="m1" />, {
      viewer: 'nav',
      answers: {
        MilestoneAdd: {
          data: {
            addMilestone: {
              __typename: 'MilestonePayload',
              milestone: added,
              measure: { __typename: 'Measure', id: 'm1', milestones: [added] },
            },
          },
        },
      },
    });
    const title = screen.getByLabelText(/^Hva skal gjøres/);
    await user.click(title);
    await user.paste('x'.repeat(max + 1));
    await user.type(screen.getByLabelText(/^Frist/), '2014-03-31');
    await user.click(screen.getByRole('button', { name: 'Legg til milepælen' }));
    expect(screen.getByText(`Skriv høyst ${max} tegn (nå ${max + 1}).`)).toBeTruthy();
    expect(sent).toHaveLength(0);
    await user.type(title, '{Backspace}');
    await user.click(screen.getByRole('button', { name: 'Legg til milepælen' }));
    await screen.findByText(/er lagt til\.$/);
    expect(sent[0]?.variables.input).toEqual({ measureId: 'm1', title: 'x'.repeat(max), dueDate: '2014-03-31' });
  });

  it("edits at the version read, and shows the server's refusal at the field", async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(
      <MilestoneForm measureId="m1" milestone={{ id: 'ms2', title: 'Evaluering', dueDate: '2013-12-31', version: 4 }} />,
      {
        viewer: 'coordinator',
        answers: {
          MilestoneEdit: errorAnswer('dueDate must lie within the plan period, 2011-01-01 to 2014-12-31.', {
            code: 'BAD_USER_INPUT',
            field: 'dueDate',
          }),
        },
      },
    );
    const due = screen.getByLabelText(/^Frist/);
    await user.clear(due);
    await user.type(due, '2016-01-01');
    await user.click(screen.getByRole('button', { name: 'Lagre' }));
    expect(await screen.findByText(/dueDate must lie within the plan period/)).toBeTruthy();
    expect(due.getAttribute('aria-invalid')).toBe('true');
    expect(sent[0]?.variables.input).toEqual({ id: 'ms2', expectedVersion: 4, title: 'Evaluering', dueDate: '2016-01-01' });
  });

  it('takes a value as a Norwegian reader writes it, and refuses what is not a number', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<ValueForm indicatorId="ind1" />, {
      viewer: 'nav',
      answers: {
        IndicatorRecord: {
          data: {
            recordIndicatorValue: {
              __typename: 'IndicatorPayload',
              indicator: {
                __typename: 'Indicator',
                id: 'ind1',
                values: [{ __typename: 'IndicatorValue', period: '2013', value: 1250.5, comment: null }],
              },
              measure: { __typename: 'Measure', id: 'm1' },
            },
          },
        },
      },
    });
    await user.type(screen.getByLabelText(/^Periode/), '2013');
    await user.type(screen.getByLabelText(/^Verdi/), 'mange');
    await user.click(screen.getByRole('button', { name: 'Lagre verdien' }));
    expect(await screen.findByText('Skriv et tall, for eksempel 12,5.')).toBeTruthy();
    expect(sent).toHaveLength(0);
    await user.clear(screen.getByLabelText(/^Verdi/));
    await user.type(screen.getByLabelText(/^Verdi/), '1 250,5');
    await user.click(screen.getByRole('button', { name: 'Lagre verdien' }));
    expect(await screen.findByText('Verdien for 2013 er lagret.')).toBeTruthy();
    expect(sent[0]?.variables.input).toEqual({ indicatorId: 'ind1', period: '2013', value: 1250.5 });
  });

  it('parses figures in either form', () => {
    expect(parseFigure('12,5')).toBe(12.5);
    expect(parseFigure('-3.75')).toBe(-3.75);
    expect(parseFigure('1 000')).toBe(1000);
    expect(parseFigure('1e3')).toBeNull();
    expect(parseFigure('')).toBeNull();
    expect(parseFigure('12,5,1')).toBeNull();
  });
});
