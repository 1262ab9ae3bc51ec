import { useQuery } from '@apollo/client/react';
import { Button, Details, Paragraph, Table } from '@digdir/designsystemet-react';
import { lazy, Suspense, useState } from 'react';
import { type FundingGroupBy, FundingLinesDocument, type FundingMatrixRows, FundingSummaryDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link, setSearchParams, useLocation } from '../router/router';
import { useApp } from '../session/context';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { SelectField } from '../ui/fields';
import { PLAN_YEARS } from '../ui/labels';
import { PageHeading, Section } from '../ui/Page';
import { Empty, Loading, QueryError } from '../ui/status';
import ExportButtons from './ExportButtons';
import { lineCode, subtractMoney, sumMoney } from './money';
import { budgetLineHref, MATRIX_ROWS } from './shared';

const FundingChart = lazy(() => import('./FundingChart'));
const FundingMatrix = lazy(() => import('./FundingMatrix'));
const Drilldown = lazy(() => import('./Drilldown'));
const AllocateForm = lazy(() => import('./AllocateForm'));
const AllocationList = lazy(() => import('./AllocationList'));

const GROUPS: FundingGroupBy[] = ['GOAL', 'AGENCY', 'BUDGET_LINE', 'FISCAL_YEAR', 'MEASURE'];

export default function FundingPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { planId } = useApp();
  const { search } = useLocation();
  const groupBy = (GROUPS as string[]).includes(search.get('by') ?? '') ? (search.get('by') as FundingGroupBy) : 'GOAL';
  const yearParam = Number(search.get('year'));
  const year = (PLAN_YEARS as readonly number[]).includes(yearParam) ? yearParam : null;
  const linesYear = year ?? PLAN_YEARS[PLAN_YEARS.length - 1] ?? 2014;
  const summary = useQuery(FundingSummaryDocument, { variables: { planId, fiscalYear: year, groupBy } });
  const lines = useQuery(FundingLinesDocument, { variables: { fiscalYear: linesYear } });
  const matrixRows = (MATRIX_ROWS as string[]).includes(search.get('rows') ?? '') ? (search.get('rows') as FundingMatrixRows) : 'GOAL';
  const drillKey = search.get('drill');
  const [allocatingLine, setAllocatingLine] = useState<string | null>(null);
  const [disburseLine, setDisburseLine] = useState<string>('');
  const [justAllocated, setJustAllocated] = useState<string | null>(null);
  // A drill-down opened by a button takes focus; one opened by the address (a bookmark) does not.
  const [drillClicked, setDrillClicked] = useState(false);
  const openDrill = (values: Record<string, string | null>) => {
    setDrillClicked(true);
    setSearchParams(values);
  };

  const rows = summary.data?.fundingSummary ?? [];
  const allocated = sumMoney(rows.map((r) => r.allocated));
  const disbursed = sumMoney(rows.map((r) => r.disbursed));
  const groupName = t(`funding.${groupBy}`).toLocaleLowerCase(i18n.locale === 'nb' ? 'nb-NO' : 'en-GB');
  const sentence = t('funding.summary', {
    allocated: i18n.money(allocated),
    disbursed: i18n.money(disbursed),
    percent: i18n.percent(Number(allocated) === 0 ? 0 : Number(disbursed) / Number(allocated)),
    count: rows.length,
  });
  // Disbursing is for the coordinator and for holders of a line of the year shown.
  const writableLines = (lines.data?.budgetLines ?? []).filter((l) => l.viewerCanAllocate);
  const mayDisburse = writableLines.length > 0;
  const drilled = drillKey ? rows.find((r) => r.key === drillKey) : undefined;
  const drill = drillKey ? { kind: groupBy, key: drillKey, label: drilled?.label ?? drillKey } : null;

  return (
    <>
      <PageHeading title={t('funding.title')} intro={t('funding.intro')}>
        {t('funding.title')}
      </PageHeading>
      <div className="filters">
        <SelectField
          label={t('funding.groupBy')}
          name="by"
          value={groupBy}
          onChange={(value) => setSearchParams({ by: value, drill: null })}
          options={GROUPS.map((g) => ({ value: g, label: t(`funding.${g}`) }))}
        />
        <SelectField
          label={t('funding.year')}
          name="year"
          value={year === null ? '' : String(year)}
          onChange={(value) => setSearchParams({ year: value })}
          options={[{ value: '', label: t('funding.allYears') }, ...PLAN_YEARS.map((y) => ({ value: String(y), label: String(y) }))]}
        />
      </div>

      <Section title={t('funding.chartTitle', { group: groupName })}>
        {summary.error && <QueryError error={summary.error} onRetry={() => void summary.refetch()} />}
        {!summary.data && summary.loading && <Loading />}
        {summary.data && rows.length === 0 && <Empty>{t('funding.noData')}</Empty>}
        {rows.length > 0 && (
          <>
            <Paragraph>{sentence}</Paragraph>
            <ErrorBoundary fallback={<Paragraph>{t('charts.failed')}</Paragraph>}>
              <Suspense fallback={<Loading label={t('charts.loading')} />}>
                <FundingChart rows={rows} label={sentence} />
              </Suspense>
            </ErrorBoundary>
            <Table zebra data-size="sm">
              <caption className="visually-hidden">{t('funding.chartTitle', { group: groupName })}</caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>{t(`funding.${groupBy}`)}</Table.HeaderCell>
                  <Table.HeaderCell className="num">{t('funding.allocated')}</Table.HeaderCell>
                  <Table.HeaderCell className="num">{t('funding.disbursed')}</Table.HeaderCell>
                  <Table.HeaderCell>
                    <span className="visually-hidden">{t('funding.drill')}</span>
                  </Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {rows.map((r) => (
                  <Table.Row key={`${r.key}:${r.fiscalYear ?? ''}`}>
                    <Table.Cell>{r.label}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(r.allocated)}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(r.disbursed)}</Table.Cell>
                    <Table.Cell>
                      <Button
                        variant="tertiary"
                        data-size="sm"
                        aria-expanded={drillKey === r.key}
                        aria-label={t('funding.drillLabel', { group: r.label })}
                        onClick={() => openDrill({ drill: drillKey === r.key ? null : r.key })}
                      >
                        {t('funding.drill')}
                      </Button>
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </>
        )}
        {drill && (
          <Suspense fallback={<Loading />}>
            <Drilldown
              key={`${drill.kind}:${drill.key}`}
              focus={drillClicked}
              drill={drill}
              planId={planId}
              year={year}
              onClose={() => setSearchParams({ drill: null })}
            />
          </Suspense>
        )}
      </Section>

      <Section title={t('funding.matrixTitle')}>
        <Suspense fallback={<Loading />}>
          <FundingMatrix
            planId={planId}
            rows={matrixRows}
            onRowsChange={(value) => setSearchParams({ rows: value })}
            onDrill={(kind, key) => openDrill({ by: kind, drill: key })}
          />
        </Suspense>
      </Section>

      <Section title={t('funding.lines', { year: String(linesYear) })}>
        {lines.error && <QueryError error={lines.error} onRetry={() => void lines.refetch()} />}
        {!lines.data && lines.loading && <Loading />}
        {lines.data && lines.data.budgetLines.length === 0 && <Empty>{t('funding.noLines', { year: String(linesYear) })}</Empty>}
        {lines.data && lines.data.budgetLines.length > 0 && (
          <Table zebra data-size="sm">
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('funding.line')}</Table.HeaderCell>
                <Table.HeaderCell>{t('funding.lineTitle')}</Table.HeaderCell>
                <Table.HeaderCell>{t('funding.holder')}</Table.HeaderCell>
                <Table.HeaderCell className="num">{t('funding.appropriated')}</Table.HeaderCell>
                <Table.HeaderCell className="num">{t('funding.allocated')}</Table.HeaderCell>
                <Table.HeaderCell className="num">{t('funding.remaining')}</Table.HeaderCell>
                <Table.HeaderCell>
                  <span className="visually-hidden">{t('funding.allocate')}</span>
                </Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {lines.data.budgetLines.map((line) => {
                const code = lineCode(line);
                const remaining = subtractMoney(line.appropriated, line.allocated);
                return (
                  <Table.Row key={line.id}>
                    <Table.Cell>
                      <Link href={budgetLineHref(line)}>{code}</Link>
                    </Table.Cell>
                    <Table.Cell>{line.title}</Table.Cell>
                    <Table.Cell>{line.agency.name}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(line.appropriated)}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(line.allocated)}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(remaining)}</Table.Cell>
                    <Table.Cell>
                      {line.viewerCanAllocate && (
                        <Button
                          variant="secondary"
                          data-size="sm"
                          aria-expanded={allocatingLine === line.id}
                          aria-label={t('funding.allocateLabel', { line: `${code} ${line.title}` })}
                          onClick={() => setAllocatingLine((current) => (current === line.id ? null : line.id))}
                        >
                          {t('funding.allocate')}
                        </Button>
                      )}
                    </Table.Cell>
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table>
        )}
        {allocatingLine &&
          (() => {
            const line = lines.data?.budgetLines.find((l) => l.id === allocatingLine);
            if (!line) return null;
            return (
              <Section
                title={t('funding.allocateFrom', { line: `${line.chapter}/${String(line.post).padStart(2, '0')} ${line.title}` })}
                level={3}
              >
                <Suspense fallback={<Loading />}>
                  <AllocateForm
                    line={line}
                    planId={planId}
                    onAllocated={(allocation) => {
                      setDisburseLine(line.id);
                      setJustAllocated(allocation.id);
                    }}
                  />
                </Suspense>
              </Section>
            );
          })()}
      </Section>

      {mayDisburse && (
        <Details>
          <Details.Summary>{t('funding.disburse')}</Details.Summary>
          <Details.Content>
            <Paragraph data-size="sm">{t('funding.disburseHelp')}</Paragraph>
            <SelectField
              label={t('funding.disburseLine')}
              name="disburseLine"
              value={disburseLine}
              onChange={setDisburseLine}
              options={[
                { value: '', label: t('funding.chooseLine') },
                ...writableLines.map((l) => ({ value: l.id, label: `${lineCode(l)} ${l.title} (${l.agency.name})` })),
              ]}
            />
            {disburseLine && writableLines.some((l) => l.id === disburseLine) && (
              <Suspense fallback={<Loading />}>
                <AllocationList
                  key={`${disburseLine}:${justAllocated ?? ''}`}
                  initialOpen={justAllocated}
                  filter={{ budgetLineId: disburseLine }}
                  caption={t('funding.allocationsOfLine', {
                    line: (() => {
                      const l = writableLines.find((x) => x.id === disburseLine);
                      return l ? `${lineCode(l)} ${l.title}` : disburseLine;
                    })(),
                  })}
                  level={3}
                />
              </Suspense>
            )}
          </Details.Content>
        </Details>
      )}

      <Section title={t('exports.title')}>
        <Paragraph data-size="sm">{t('exports.intro', { year: String(linesYear) })}</Paragraph>
        <ExportButtons
          csv={[
            { dataset: 'funding-summary', params: { planId, groupBy, fiscalYear: year } },
            { dataset: 'budget-lines', params: { fiscalYear: linesYear } },
            { dataset: 'allocations', params: { fiscalYear: linesYear } },
            { dataset: 'disbursements', params: { fiscalYear: linesYear } },
          ]}
          iatiPlanId={planId}
        />
      </Section>
    </>
  );
}
