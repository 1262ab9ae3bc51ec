import { useQuery } from '@apollo/client/react';
import { Alert, Card, Details, Heading, Paragraph, Table, Tag, ToggleGroup } from '@digdir/designsystemet-react';
import { lazy, Suspense } from 'react';
import { type MeasureStatus, PlanDashboardDocument, PlanProgressDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link, setSearchParams, useLocation } from '../router/router';
import { DEFAULT_PLAN_ID, useApp } from '../session/context';
import { SelectField } from '../ui/fields';
import { PLAN_YEARS, reportingPeriods, STATUSES } from '../ui/labels';
import { PageHeading, Section } from '../ui/Page';
import { Empty, Loading, QueryError } from '../ui/status';

const CreateMeasureForm = lazy(() => import('./CreateMeasureForm'));

export const STATUS_COLOR: Record<MeasureStatus, 'neutral' | 'info' | 'success' | 'warning' | 'danger'> = {
  NOT_REPORTED: 'neutral',
  PLANNED: 'neutral',
  IN_PROGRESS: 'info',
  COMPLETED: 'success',
  DELAYED: 'warning',
  DISCONTINUED: 'danger',
};

const DEFAULT_PERIOD = `${PLAN_YEARS.at(-1)}`;

export default function PlanPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { viewer, planId } = useApp();
  const { search } = useLocation();
  const period = search.get('period') ?? DEFAULT_PERIOD;
  const statusFilter = (STATUSES as readonly string[]).includes(search.get('status') ?? '')
    ? (search.get('status') as MeasureStatus)
    : null;
  const { data, error, refetch } = useQuery(PlanDashboardDocument, {
    variables: { planId, coordinator: viewer.canEditPlans, period },
  });
  // Counters move with every report, milestone and measure written elsewhere: the cached figures show at once, fresh ones follow.
  const progressQuery = useQuery(PlanProgressDocument, { variables: { planId }, fetchPolicy: 'cache-and-network' });

  if (!data) {
    if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
    return <Loading />;
  }
  const plan = data.actionPlan;
  if (!plan)
    return (
      <>
        <PageHeading title={t('plan.title')}>{t('plan.title')}</PageHeading>
        <Empty>{t('errors.notFound')}</Empty>
      </>
    );

  const measures = plan.measures.edges.map((e) => e.node);
  // Counts from the plan's counters, kept in the writes' own transactions: every measure, not a page of them.
  const progress = progressQuery.data?.actionPlan?.progress ?? null;
  const counts = new Map<MeasureStatus, number>(STATUSES.map((s) => [s, 0]));
  for (const c of progress?.byStatus ?? []) counts.set(c.status, c.count);
  const total = progress?.measures ?? 0;
  const done = counts.get('COMPLETED') ?? 0;
  const goalTitle = new Map(plan.goals.map((g) => [g.number, g.title]));
  const shown = statusFilter ? measures.filter((m) => m.status === statusFilter) : measures;
  const years = `${plan.period.start.slice(0, 4)}–${plan.period.end.slice(0, 4)}`;

  return (
    <>
      <PageHeading title={plan.title} intro={t('plan.period', { period: years })}>
        {plan.title}
      </PageHeading>
      {data.actionPlans.length > 1 && (
        <SelectField
          label={t('plan.choosePlan')}
          name="plan"
          width="auto"
          value={plan.id}
          onChange={(value) => setSearchParams({ plan: value, status: null })}
          options={data.actionPlans.map((p) => ({ value: p.id, label: p.title }))}
        />
      )}
      {(plan.provenance.kind === 'DEMO' || plan.provenance.kind === 'SYNTHETIC') && (
        <Alert data-color="warning">{t('plan.invented', { reference: plan.provenance.reference ?? '' })}</Alert>
      )}
      <Paragraph>{t('plan.coordinator', { name: plan.coordinator.name })}</Paragraph>
      <Paragraph>{t('plan.measuresHeld', { held: total, declared: plan.measureCount })}</Paragraph>

      <div className="grid-2">
        <Section title={t('plan.goals')}>
          {plan.goals.length === 0 ? (
            <Empty>{t('plan.noGoals')}</Empty>
          ) : (
            <ol className="goals">
              {plan.goals.map((g) => (
                <li key={g.id} value={g.number}>
                  {g.title}
                </li>
              ))}
            </ol>
          )}
        </Section>
        <Section title={t('plan.progress')}>
          {!progress ? (
            progressQuery.error ? (
              <QueryError error={progressQuery.error} onRetry={() => void progressQuery.refetch()} />
            ) : (
              <Loading />
            )
          ) : (
            <>
              <label className="progress-label" htmlFor="plan-progress">
                {t('plan.progressSentence', { done, total, percent: i18n.percent(total === 0 ? 0 : done / total) })}
              </label>
              <progress id="plan-progress" max={Math.max(total, 1)} value={done} />
              <Heading level={3} data-size="xs">
                {t('plan.byStatus')}
              </Heading>
              <ul className="status-counts">
                {STATUSES.map((s) => (
                  <li key={s}>
                    <Tag data-color={STATUS_COLOR[s]} data-size="md">
                      {t(`status.${s}`)}: {i18n.number(counts.get(s) ?? 0)}
                    </Tag>
                  </li>
                ))}
              </ul>
              <Heading level={3} data-size="xs">
                {t('plan.milestonesTitle')}
              </Heading>
              {progress.milestonesDue === 0 ? (
                <Paragraph>{t('plan.milestonesNone', { date: i18n.date(progress.asOf), total: progress.milestones })}</Paragraph>
              ) : (
                <>
                  <label className="progress-label" htmlFor="plan-milestones">
                    {t('plan.milestonesText', {
                      done: progress.milestonesDoneOfDue,
                      due: progress.milestonesDue,
                      date: i18n.date(progress.asOf),
                      total: progress.milestones,
                      allDone: progress.milestonesDone,
                    })}
                  </label>
                  <progress id="plan-milestones" max={progress.milestonesDue} value={progress.milestonesDoneOfDue} />
                </>
              )}
              <Heading level={3} data-size="xs">
                {t('plan.reportsTitle')}
              </Heading>
              {!progress.period ? (
                <Paragraph>{t('plan.reportsNoPeriod')}</Paragraph>
              ) : progress.reportsOwed === 0 ? (
                <Paragraph>{t('plan.reportsNone', { period: i18n.period(progress.period) })}</Paragraph>
              ) : (
                <>
                  <label className="progress-label" htmlFor="plan-reports">
                    {t('plan.reportsText', {
                      submitted: progress.reportsSubmitted,
                      owed: progress.reportsOwed,
                      period: i18n.period(progress.period),
                    })}
                  </label>
                  <progress id="plan-reports" max={progress.reportsOwed} value={progress.reportsSubmitted} />
                </>
              )}
            </>
          )}
          <Paragraph>
            <Link href={`/duties${planId === DEFAULT_PLAN_ID ? '' : `?plan=${encodeURIComponent(planId)}`}`}>{t('plan.dutiesLink')}</Link>
          </Paragraph>
        </Section>
      </div>

      {progress && progress.goals.length > 0 && (
        <Section title={t('plan.byGoal')}>
          <div className="table-scroll">
            <Table zebra data-size="sm" className="goal-progress">
              <caption className="visually-hidden">{t('plan.byGoalCaption')}</caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>{t('plan.goal')}</Table.HeaderCell>
                  <Table.HeaderCell className="num">{t('plan.goalMeasures')}</Table.HeaderCell>
                  {STATUSES.map((s) => (
                    <Table.HeaderCell key={s} className="num">
                      {t(`status.${s}`)}
                    </Table.HeaderCell>
                  ))}
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {progress.goals.map((g) => (
                  <Table.Row key={g.goalNumber}>
                    <Table.Cell>
                      {g.goalNumber}. {goalTitle.get(g.goalNumber) ?? ''}
                    </Table.Cell>
                    <Table.Cell className="num">{i18n.number(g.measures)}</Table.Cell>
                    {STATUSES.map((s) => (
                      <Table.Cell key={s} className="num">
                        {i18n.number(g.byStatus.find((c) => c.status === s)?.count ?? 0)}
                      </Table.Cell>
                    ))}
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </div>
        </Section>
      )}

      {viewer.canEditPlans && (
        <Section title={t('plan.coordinatorLook')}>
          <div className="grid-2">
            <Card data-color="warning">
              <Heading level={3} data-size="xs">
                {t('plan.withoutLead')}
              </Heading>
              {(plan.measuresWithoutLead ?? []).length === 0 ? (
                <Paragraph>{t('plan.withoutLeadNone')}</Paragraph>
              ) : (
                <ul>
                  {(plan.measuresWithoutLead ?? []).map((m) => (
                    <li key={m.id}>
                      <Link href={`/measures/${encodeURIComponent(m.id)}`}>
                        {m.number !== null && m.number !== undefined ? `${m.number}. ` : ''}
                        {m.title}
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
            <Card data-color="warning">
              <Heading level={3} data-size="xs">
                {t('plan.missingReport')}
              </Heading>
              <SelectField
                label={t('plan.missingReportFor')}
                name="period"
                width="auto"
                value={period}
                onChange={(value) => setSearchParams({ period: value })}
                options={reportingPeriods(PLAN_YEARS[0], PLAN_YEARS[PLAN_YEARS.length - 1] ?? 2014).map((p) => ({
                  value: p,
                  label: i18n.period(p),
                }))}
              />
              {(plan.measuresMissingReport ?? []).length === 0 ? (
                <Paragraph>{t('plan.missingReportNone', { period: i18n.period(period) })}</Paragraph>
              ) : (
                <>
                  <Paragraph data-size="sm">
                    {t('plan.missingCount', { count: plan.measuresMissingReport?.length ?? 0, period: i18n.period(period) })}
                  </Paragraph>
                  <ul>
                    {(plan.measuresMissingReport ?? []).map((m) => (
                      <li key={m.id}>
                        <Link href={`/measures/${encodeURIComponent(m.id)}`}>
                          {m.number !== null && m.number !== undefined ? `${m.number}. ` : ''}
                          {m.title}
                        </Link>
                        {m.lead ? ` (${m.lead.name})` : ''}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </Card>
          </div>
          <Details>
            <Details.Summary>{t('plan.createMeasure')}</Details.Summary>
            <Details.Content>
              <Suspense fallback={<Loading />}>
                <CreateMeasureForm planId={plan.id} goals={plan.goals} />
              </Suspense>
            </Details.Content>
          </Details>
        </Section>
      )}

      <Section title={t('plan.measures')}>
        <ToggleGroup
          data-size="sm"
          value={statusFilter ?? 'ALL'}
          onChange={(value) => setSearchParams({ status: value === 'ALL' ? null : value })}
          aria-label={t('plan.filterStatus')}
        >
          <ToggleGroup.Item value="ALL">{t('plan.allStatuses')}</ToggleGroup.Item>
          {STATUSES.map((s) => (
            <ToggleGroup.Item key={s} value={s}>
              {t(`status.${s}`)}
              {progress ? ` (${i18n.number(counts.get(s) ?? 0)})` : ''}
            </ToggleGroup.Item>
          ))}
        </ToggleGroup>
        {shown.length === 0 ? (
          <Empty>{t('plan.noMeasures')}</Empty>
        ) : (
          <Table className="measures-table">
            <caption className="visually-hidden">{t('plan.measures')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('plan.number')}</Table.HeaderCell>
                <Table.HeaderCell>{t('plan.measureTitle')}</Table.HeaderCell>
                <Table.HeaderCell>{t('plan.status')}</Table.HeaderCell>
                <Table.HeaderCell>{t('plan.lead')}</Table.HeaderCell>
                <Table.HeaderCell>{t('plan.goalsColumn')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {shown.map((m) => (
                <Table.Row key={m.id}>
                  <Table.Cell>{m.number ?? t('plan.unnumbered')}</Table.Cell>
                  <Table.Cell>
                    <Link href={`/measures/${encodeURIComponent(m.id)}`}>{m.title}</Link>
                  </Table.Cell>
                  <Table.Cell>
                    <Tag data-color={STATUS_COLOR[m.status]} data-size="sm">
                      {t(`status.${m.status}`)}
                    </Tag>
                  </Table.Cell>
                  <Table.Cell>
                    {m.lead ? <Link href={`/agencies/${encodeURIComponent(m.lead.id)}`}>{m.lead.name}</Link> : t('plan.noLead')}
                  </Table.Cell>
                  <Table.Cell>{m.goals.map((g) => g.number).join(', ')}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </Section>
    </>
  );
}
