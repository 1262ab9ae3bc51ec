import { useQuery } from '@apollo/client/react';
import { Alert, Card, Details, Heading, Paragraph, Table, Tag, ToggleGroup } from '@digdir/designsystemet-react';
import { lazy, Suspense } from 'react';
import { useApp } from '../app/context';
import { type MeasureStatus, PlanDashboardDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link, setSearchParams, useLocation } from '../router/router';
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
  const { rights, planId } = useApp();
  const { search } = useLocation();
  const period = search.get('period') ?? DEFAULT_PERIOD;
  const statusFilter = (STATUSES as readonly string[]).includes(search.get('status') ?? '')
    ? (search.get('status') as MeasureStatus)
    : null;
  const { data, error, refetch } = useQuery(PlanDashboardDocument, {
    variables: { planId, coordinator: rights.isCoordinator, period },
  });

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
  const counts = new Map<MeasureStatus, number>(STATUSES.map((s) => [s, 0]));
  for (const m of measures) counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
  const total = plan.measures.totalCount;
  const done = counts.get('COMPLETED') ?? 0;
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
          <label className="progress-label" htmlFor="plan-progress">
            {t('plan.progressText', { done, total, percent: i18n.percent(total === 0 ? 0 : done / total) })}
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
        </Section>
      </div>

      {rights.isCoordinator && (
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
              {t(`status.${s}`)} ({i18n.number(counts.get(s) ?? 0)})
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
