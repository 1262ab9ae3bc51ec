import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { agencyDuties, dutyPeriods, planDuties } from '../test/fixtures';
import { errorAnswer, renderWithApp, type SentOperation } from '../test/harness';
import DutiesPage, { defaultPeriod } from './DutiesPage';
import ScheduleForm, { checkSchedule, periodEnd } from './ScheduleForm';

afterEach(() => window.history.replaceState(null, '', '/'));

const firstPage = planDuties(
  [
    { measure: 'm1', agency: 'nav', status: 'OVERDUE', daysOverdue: 12 },
    { measure: 'm2', agency: 'jd', status: 'SUBMITTED' },
  ],
  { hasNextPage: true, endCursor: 'c1' },
);
const secondPage = planDuties([{ measure: 'm3', agency: 'politiet', status: 'DUE' }]);
/** The first page, or the second when asked after the first's cursor. */
const pageFor = (op: SentOperation) => (op.variables.after ? secondPage : firstPage);
const byName = (sent: SentOperation[], name: string) => sent.filter((s) => s.operationName === name);

describe('the reporting calendar', () => {
  it('shows the coordinator the plan-wide duties of the last period due, with due date, status in words and days overdue', async () => {
    const { sent } = renderWithApp(<DutiesPage />, {
      viewer: 'coordinator',
      answers: {
        DutyPeriods: dutyPeriods({ mayEdit: true }),
        PlanDuties: pageFor,
      },
    });
    const table = await screen.findByRole('table', { name: 'Rapporteringsplikter for 2014' });
    expect(byName(sent, 'PlanDuties')[0]?.variables).toMatchObject({ planId: 'hp-2011-2014', period: '2014', status: null, first: 20 });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]?.textContent).toContain('Over frist');
    expect(rows[1]?.textContent).toContain('15. feb. 2013');
    expect(rows[1]?.textContent).toContain('12');
    expect(rows[2]?.textContent).toContain('Levert');
    expect(within(table).getByRole('link', { name: '1. Tiltak m1' }).getAttribute('href')).toBe('/measures/m1');
    expect(within(table).getByRole('link', { name: 'NAV' }).getAttribute('href')).toBe('/agencies/nav');
    // The coordinator may change the schedule; the form loads when opened.
    expect(screen.getByText('Endre rapporteringsplanen')).toBeTruthy();
  });

  it('loads more duties after the last cursor and keeps the first page', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<DutiesPage />, {
      viewer: 'coordinator',
      answers: { DutyPeriods: dutyPeriods({ mayEdit: true }), PlanDuties: pageFor },
    });
    await screen.findByRole('table', { name: 'Rapporteringsplikter for 2014' });
    await user.click(screen.getByRole('button', { name: 'Vis flere' }));
    expect(await screen.findByText('POLITIET')).toBeTruthy();
    expect(screen.getByText('NAV')).toBeTruthy();
    expect(screen.getByText('Viser 3 plikter.')).toBeTruthy();
    expect(byName(sent, 'PlanDuties').at(-1)?.variables).toMatchObject({ after: 'c1', period: '2014' });
    expect(screen.queryByRole('button', { name: 'Vis flere' })).toBeNull();
  });

  it('filters by status and period from the address', async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, '', '/duties?period=2012');
    const { sent } = renderWithApp(<DutiesPage />, {
      viewer: 'viewer',
      answers: { DutyPeriods: dutyPeriods(), PlanDuties: firstPage },
    });
    await screen.findByRole('table', { name: 'Rapporteringsplikter for 2012' });
    await user.click(screen.getByRole('radio', { name: 'Over frist' }));
    await screen.findByRole('table', { name: 'Rapporteringsplikter for 2012' });
    expect(window.location.search).toContain('status=OVERDUE');
    expect(byName(sent, 'PlanDuties').at(-1)?.variables).toMatchObject({ period: '2012', status: 'OVERDUE' });
    // A viewer reads the calendar, and changes nothing.
    expect(screen.queryByText('Endre rapporteringsplanen')).toBeNull();
  });

  it("shows agency staff their own agency's duties first, and the whole plan on request", async () => {
    const { sent } = renderWithApp(<DutiesPage />, {
      viewer: 'nav',
      answers: { MyDuties: agencyDuties('nav', [{ measure: 'm1', agency: 'nav', status: 'DUE' }]) },
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Rapporteringsplikter for nav' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Rapporteringsplikter for nav' });
    expect(within(table).getByText('Til rapportering')).toBeTruthy();
    expect(byName(sent, 'MyDuties')[0]?.variables).toMatchObject({ agencyId: 'nav', status: null });
    expect(screen.getByRole('link', { name: 'Se hele planen' }).getAttribute('href')).toBe('/duties?scope=plan');
    expect(byName(sent, 'PlanDuties')).toHaveLength(0);
  });

  it('says so when nothing matches', async () => {
    renderWithApp(<DutiesPage />, { viewer: 'viewer', answers: { DutyPeriods: dutyPeriods(), PlanDuties: planDuties([]) } });
    expect(await screen.findByText('Ingen rapporteringsplikter med dette utvalget.')).toBeTruthy();
  });

  it('speaks English when asked', async () => {
    renderWithApp(<DutiesPage />, {
      viewer: 'coordinator',
      locale: 'en',
      answers: { DutyPeriods: dutyPeriods({ mayEdit: true }), PlanDuties: firstPage },
    });
    const table = await screen.findByRole('table', { name: 'Reporting duties for 2014' });
    expect(within(table).getByText('Overdue')).toBeTruthy();
    expect(within(table).getByText('Submitted')).toBeTruthy();
  });
});

describe('the period shown and the schedule checks', () => {
  it('defaults to the last period due by today, else the first', () => {
    const periods = dutyPeriods().data.actionPlan.reportingPeriods;
    expect(defaultPeriod(periods, '2013-03-01')).toBe('2012');
    expect(defaultPeriod(periods, '2012-01-01')).toBe('2011');
    expect(defaultPeriod([], '2012-01-01')).toBeNull();
  });

  it('knows when a period ends, and refuses a due date before it', () => {
    expect(periodEnd('2012')).toBe('2012-12-31');
    expect(periodEnd('2012-H1')).toBe('2012-06-30');
    expect(periodEnd('2012-Q3')).toBe('2012-09-30');
    expect(periodEnd('2012-13')).toBeNull();
    const problems = checkSchedule(
      [
        { period: '2012-H1', dueDate: '2012-06-29' },
        { period: '2019', dueDate: '2020-02-15' },
        { period: '2012-H2', dueDate: '2013-02-30' },
      ],
      2011,
      2014,
    );
    expect(problems).toEqual({
      'periods[0].dueDate': { key: 'duties.dueBeforeEnd' },
      'periods[1].period': { key: 'validation.periodRange', params: { start: '2011', end: '2014' } },
      'periods[2].dueDate': { key: 'validation.date' },
    });
  });
});

describe('setting the schedule', () => {
  const plan = dutyPeriods().data.actionPlan;

  it('checks before it sends, then sends the periods at the version read', async () => {
    const user = userEvent.setup();
    const { sent } = renderWithApp(<ScheduleForm plan={plan} />, {
      viewer: 'coordinator',
      answers: {
        ScheduleReporting: {
          data: {
            setReportingSchedule: {
              __typename: 'PlanPayload',
              plan: { __typename: 'ActionPlan', id: plan.id, version: 8, reportingPeriods: plan.reportingPeriods.slice(0, 3) },
            },
          },
        },
      },
    });
    // A due date before its period ends is refused here, and nothing is sent.
    const due = screen.getByLabelText(/^Frist for periode 4/);
    await user.clear(due);
    await user.type(due, '2014-06-01');
    await user.click(screen.getByRole('button', { name: 'Lagre rapporteringsplanen' }));
    expect(await screen.findByText('Fristen kan ikke være før perioden er slutt.')).toBeTruthy();
    expect(sent).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Fjern periode 4' }));
    await user.click(screen.getByRole('button', { name: 'Lagre rapporteringsplanen' }));
    expect(await screen.findByText('Rapporteringsplanen er lagret (3 perioder).')).toBeTruthy();
    expect(sent[0]?.variables.input).toEqual({
      planId: 'hp-2011-2014',
      expectedVersion: 7,
      periods: [
        { period: '2011', dueDate: '2012-02-15' },
        { period: '2012', dueDate: '2013-02-15' },
        { period: '2013', dueDate: '2014-02-15' },
      ],
    });
  });

  it("shows the server's refusal at the row and field it names", async () => {
    const user = userEvent.setup();
    renderWithApp(<ScheduleForm plan={plan} />, {
      viewer: 'coordinator',
      answers: {
        ScheduleReporting: errorAnswer('periods[1].period overlaps periods[0].period.', {
          code: 'BAD_USER_INPUT',
          field: 'periods[1].period',
        }),
      },
    });
    await user.click(screen.getByRole('button', { name: 'Lagre rapporteringsplanen' }));
    const field = screen.getByRole('textbox', { name: /^Periode 2/ });
    expect(await screen.findByText(/periods\[1\]\.period overlaps/)).toBeTruthy();
    expect(field.getAttribute('aria-invalid')).toBe('true');
  });
});
