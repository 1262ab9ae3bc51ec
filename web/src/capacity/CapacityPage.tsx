import { useQuery } from '@apollo/client/react';
import { Alert, Details, Paragraph, Table } from '@digdir/designsystemet-react';
import { lazy, Suspense } from 'react';
import ExportButtons from '../funding/ExportButtons';
import { CapacitySeriesDocument, type TimeGranularity } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { setSearchParams, useLocation } from '../router/router';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { SelectField, TextField } from '../ui/fields';
import { PageHeading, Section } from '../ui/Page';
import { useRegions } from '../ui/regions';
import { Empty, Loading, QueryError } from '../ui/status';

const CapacityChart = lazy(() => import('./CapacityChart'));
const GRANULARITIES: TimeGranularity[] = ['MONTH', 'QUARTER', 'YEAR'];
const isDate = (v: string | null): v is string => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v);

export default function CapacityPage() {
  const counties = useRegions();
  const i18n = useI18n();
  const { t } = i18n;
  const { search } = useLocation();
  const region = search.get('county') ?? '';
  const granularity = (GRANULARITIES as string[]).includes(search.get('by') ?? '') ? (search.get('by') as TimeGranularity) : 'QUARTER';
  const from = isDate(search.get('from')) ? (search.get('from') as string) : '2011-01-01';
  const to = isDate(search.get('to')) ? (search.get('to') as string) : '2014-12-31';
  const { data, error, loading, refetch } = useQuery(CapacitySeriesDocument, {
    variables: { filter: { from, to, granularity, ...(region ? { region } : {}) } },
  });
  const area = region || t('capacity.country');
  const points = (data?.capacityTimeline ?? []).map((p) => ({
    period: p.period,
    capacity: p.capacity,
    occupied: p.occupied ?? null,
    occupiedMargin: p.occupiedMargin ?? null,
    suppressed: p.suppressed,
    utilization: p.utilization ?? null,
    reportingShelters: p.reportingShelters,
    demoShare: p.demoShare,
  }));
  // Demo shelters report under real county names: say how much of the series rests on them.
  const demoPercent = Math.round(Math.max(0, ...points.map((p) => p.demoShare)) * 100);
  // The sentence speaks of the periods that have reports.
  const reported = points.filter((p) => p.reportingShelters > 0);
  const first = reported[0];
  const last = reported[reported.length - 1];
  const suppressedCount = reported.filter((p) => p.suppressed).length;
  const summary =
    first && last
      ? t('capacity.summary', {
          first: i18n.period(first.period),
          last: i18n.period(last.period),
          firstCapacity: first.capacity,
          lastCapacity: last.capacity,
          suppressedCount,
          count: reported.length,
        })
      : '';

  return (
    <>
      <PageHeading title={t('capacity.title')} intro={t('capacity.intro')}>
        {t('capacity.title')}
      </PageHeading>
      <div className="filters">
        <SelectField
          label={t('capacity.area')}
          name="county"
          value={region}
          onChange={(value) => setSearchParams({ county: value })}
          options={[{ value: '', label: t('capacity.country') }, ...counties.map((c) => ({ value: c, label: c }))]}
        />
        <SelectField
          label={t('capacity.granularity')}
          name="by"
          value={granularity}
          onChange={(value) => setSearchParams({ by: value })}
          options={GRANULARITIES.map((g) => ({ value: g, label: t(`capacity.${g}`) }))}
        />
        <TextField
          label={t('capacity.from')}
          name="from"
          type="date"
          value={from}
          onChange={(value) => isDate(value) && setSearchParams({ from: value })}
        />
        <TextField
          label={t('capacity.to')}
          name="to"
          type="date"
          value={to}
          onChange={(value) => isDate(value) && setSearchParams({ to: value })}
        />
      </div>

      <Section title={t('capacity.chartTitle', { area })}>
        {error && <QueryError error={error} onRetry={() => void refetch()} />}
        {!data && loading && <Loading />}
        {data && reported.length === 0 && <Empty>{t('capacity.noData')}</Empty>}
        {reported.length > 0 && (
          <>
            <Paragraph id="capacity-summary">{summary}</Paragraph>
            <ErrorBoundary fallback={<Paragraph>{t('charts.failed')}</Paragraph>}>
              <Suspense fallback={<Loading label={t('charts.loading')} />}>
                <CapacityChart points={points} label={summary} />
              </Suspense>
            </ErrorBoundary>
            {suppressedCount > 0 && (
              <Alert data-color="info" data-size="sm">
                {t('capacity.suppressedExplanation')}
              </Alert>
            )}
            {reported.some((p) => (p.occupiedMargin ?? 0) > 0) && (
              <Paragraph data-size="sm">{t('capacity.perturbationExplanation')}</Paragraph>
            )}
            {demoPercent > 0 && (
              <Alert data-color="warning" data-size="sm">
                {t('capacity.demoShare', { percent: demoPercent })}
              </Alert>
            )}
            <Details>
              <Details.Summary>{t('app.showTable')}</Details.Summary>
              <Details.Content>
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard (axe: scrollable-region-focusable) */}
                <div className="table-scroll" tabIndex={0}>
                  <Table zebra data-size="sm">
                    <caption className="visually-hidden">{t('capacity.chartTitle', { area })}</caption>
                    <Table.Head>
                      <Table.Row>
                        <Table.HeaderCell>{t('capacity.period')}</Table.HeaderCell>
                        <Table.HeaderCell>{t('capacity.shelters')}</Table.HeaderCell>
                        <Table.HeaderCell>{t('capacity.capacity')}</Table.HeaderCell>
                        <Table.HeaderCell>{t('capacity.occupied')}</Table.HeaderCell>
                        <Table.HeaderCell>{t('capacity.margin')}</Table.HeaderCell>
                        <Table.HeaderCell>{t('capacity.utilization')}</Table.HeaderCell>
                      </Table.Row>
                    </Table.Head>
                    <Table.Body>
                      {points.map((p) => (
                        <Table.Row key={p.period}>
                          <Table.Cell>{i18n.period(p.period)}</Table.Cell>
                          <Table.Cell className="num">{i18n.number(p.reportingShelters)}</Table.Cell>
                          <Table.Cell className="num">{i18n.number(p.capacity)}</Table.Cell>
                          <Table.Cell className="num">
                            {p.occupied === null ? t('capacity.suppressed') : i18n.number(p.occupied)}
                          </Table.Cell>
                          <Table.Cell className="num">
                            {p.occupiedMargin === null
                              ? '–'
                              : p.occupiedMargin === 0
                                ? t('capacity.exact')
                                : t('capacity.marginOf', { margin: p.occupiedMargin })}
                          </Table.Cell>
                          <Table.Cell className="num">
                            {p.utilization === null ? (p.suppressed ? t('capacity.suppressed') : '–') : i18n.percent(p.utilization)}
                          </Table.Cell>
                        </Table.Row>
                      ))}
                    </Table.Body>
                  </Table>
                </div>
              </Details.Content>
            </Details>
          </>
        )}
      </Section>
      <Section title={t('exports.title')}>
        <ExportButtons csv={[{ dataset: 'capacity-timeline', params: { from, to, granularity, region } }]} />
      </Section>
    </>
  );
}
