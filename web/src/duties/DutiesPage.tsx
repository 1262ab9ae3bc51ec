import { useQuery } from '@apollo/client/react';
import { Button, Details, Paragraph, Table } from '@digdir/designsystemet-react';
import { lazy, Suspense } from 'react';
import { todayInOslo } from '../forms/rules';
import { DutyPeriodsDocument, PlanDutiesDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link, setSearchParams, useLocation } from '../router/router';
import { DEFAULT_PLAN_ID, useApp } from '../session/context';
import { SelectField } from '../ui/fields';
import { PageHeading, Section } from '../ui/Page';
import { Empty, Loading, QueryError } from '../ui/status';
import { AgencyDuties } from './AgencyDuties';
import { DutyStatusFilter, DutyTable, parseDutyStatus } from './DutyTable';

const ScheduleForm = lazy(() => import('./ScheduleForm'));

/** Links between the calendar's views keep the plan chosen (the demo set is a plan of its own). */
const ofPlan = (planId: string, separator: '?' | '&') =>
  planId === DEFAULT_PLAN_ID ? '' : `${separator}plan=${encodeURIComponent(planId)}`;

/** The period the server also counts by default: the last one due by today, else the first. */
export function defaultPeriod(periods: readonly { period: string; dueDate: string }[], today = todayInOslo()): string | null {
  return (periods.filter((p) => p.dueDate <= today).at(-1) ?? periods[0])?.period ?? null;
}

/**
 * The calendar of reporting duties. Agency staff see their own agency's first (and may look at the
 * whole plan); everyone else the plan's duties of one period, with a status filter; the coordinator
 * also sets the plan's reporting schedule.
 */
export default function DutiesPage() {
  const { t } = useI18n();
  const { viewer, planId } = useApp();
  const { search } = useLocation();
  if (viewer.agencyId && search.get('scope') !== 'plan') {
    const name = viewer.agencyName ?? viewer.agencyId;
    return (
      <>
        <PageHeading title={t('duties.myTitle', { agency: name })} intro={t('duties.myIntro')}>
          {t('duties.myTitle', { agency: name })}
        </PageHeading>
        <Paragraph>
          <Link href={`/duties?scope=plan${ofPlan(planId, '&')}`}>{t('duties.wholePlan')}</Link>
        </Paragraph>
        <AgencyDuties agencyId={viewer.agencyId} agencyName={name} />
      </>
    );
  }
  return <PlanDuties />;
}

function PlanDuties() {
  const i18n = useI18n();
  const { t } = i18n;
  const { viewer, planId } = useApp();
  const { search } = useLocation();
  const status = parseDutyStatus(search.get('status'));
  const periods = useQuery(DutyPeriodsDocument, { variables: { planId } });
  const plan = periods.data?.actionPlan;
  const schedule = plan?.reportingPeriods ?? [];
  const asked = search.get('period');
  const period = asked && schedule.some((p) => p.period === asked) ? asked : defaultPeriod(schedule);
  const duties = useQuery(PlanDutiesDocument, {
    variables: { planId, period: period ?? '', status, first: 20 },
    skip: !period,
    // A report submitted on a measure's page changes a duty here: show the cached page, then the fresh one.
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });

  if (!periods.data) {
    if (periods.error) return <QueryError error={periods.error} onRetry={() => void periods.refetch()} />;
    return <Loading />;
  }
  if (!plan)
    return (
      <>
        <PageHeading title={t('duties.title')}>{t('duties.title')}</PageHeading>
        <Empty>{t('errors.notFound')}</Empty>
      </>
    );
  const page = duties.data?.actionPlan?.reportingDuties;
  const due = schedule.find((p) => p.period === period)?.dueDate;

  return (
    <>
      <PageHeading title={t('duties.title')} intro={t('duties.intro')}>
        {t('duties.title')}
      </PageHeading>
      <Paragraph>
        {plan.title}
        {viewer.agencyId && (
          <>
            {' · '}
            <Link href={`/duties${ofPlan(planId, '?')}`}>{t('duties.mine', { agency: viewer.agencyName ?? viewer.agencyId })}</Link>
          </>
        )}
      </Paragraph>
      {schedule.length === 0 || !period ? (
        <Empty>{t('duties.noPeriods')}</Empty>
      ) : (
        <Section title={due ? t('duties.periodDue', { period: i18n.period(period), date: i18n.date(due) }) : i18n.period(period)}>
          <div className="filters">
            <SelectField
              label={t('duties.period')}
              name="period"
              width="auto"
              value={period}
              onChange={(value) => setSearchParams({ period: value })}
              options={schedule.map((p) => ({
                value: p.period,
                label: t('duties.periodDue', { period: i18n.period(p.period), date: i18n.date(p.dueDate) }),
              }))}
            />
          </div>
          <DutyStatusFilter value={status} onChange={(s) => setSearchParams({ status: s })} />
          {duties.error && <QueryError error={duties.error} onRetry={() => void duties.refetch()} />}
          {!page && !duties.error && <Loading />}
          {page && page.edges.length === 0 && <Empty>{t('duties.none')}</Empty>}
          {page && page.edges.length > 0 && (
            <>
              <DutyTable
                caption={t('duties.caption', { period: i18n.period(period) })}
                duties={page.edges.map((e) => e.node)}
                show="agency"
              />
              <Paragraph data-size="sm" aria-live="polite">
                {t('duties.shown', { shown: page.edges.length })}
              </Paragraph>
            </>
          )}
          {page?.pageInfo.hasNextPage && (
            <Button
              variant="secondary"
              disabled={duties.loading}
              onClick={() => void duties.fetchMore({ variables: { after: page.pageInfo.endCursor } })}
            >
              {t('app.loadMore')}
            </Button>
          )}
        </Section>
      )}

      <Section title={t('duties.schedule')}>
        <Paragraph>{t('duties.scheduleIntro')}</Paragraph>
        {schedule.length > 0 && (
          <Table zebra className="schedule-table">
            <caption className="visually-hidden">{t('duties.scheduleCaption')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('duties.period')}</Table.HeaderCell>
                <Table.HeaderCell>{t('duties.dueDate')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {schedule.map((p) => (
                <Table.Row key={p.period}>
                  <Table.Cell>{i18n.period(p.period)}</Table.Cell>
                  <Table.Cell>{i18n.date(p.dueDate)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
        {plan?.viewerCanSetReportingSchedule && (
          <Details>
            <Details.Summary>{t('duties.editSchedule')}</Details.Summary>
            <Details.Content>
              <Suspense fallback={<Loading />}>
                <ScheduleForm plan={plan} />
              </Suspense>
            </Details.Content>
          </Details>
        )}
      </Section>
    </>
  );
}
