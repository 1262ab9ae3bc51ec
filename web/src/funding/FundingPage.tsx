import { useQuery } from '@apollo/client/react';
import { Button, Details, Paragraph, Table } from '@digdir/designsystemet-react';
import { lazy, Suspense, useState } from 'react';
import { useApp } from '../app/context';
import { BudgetLinesDocument, type FundingGroupBy, FundingSummaryDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { setSearchParams, useLocation } from '../router/router';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { SelectField } from '../ui/fields';
import { PLAN_YEARS } from '../ui/labels';
import { PageHeading, Section } from '../ui/Page';
import { Empty, Loading, QueryError } from '../ui/status';
import { subtractMoney, sumMoney } from './money';

const FundingChart = lazy(() => import('./FundingChart'));
const AllocateForm = lazy(() => import('./AllocateForm'));
const DisburseForm = lazy(() => import('./DisburseForm'));

const GROUPS: FundingGroupBy[] = ['GOAL', 'AGENCY', 'BUDGET_LINE', 'FISCAL_YEAR', 'MEASURE'];

export default function FundingPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { rights, planId } = useApp();
  const { search } = useLocation();
  const groupBy = (GROUPS as string[]).includes(search.get('by') ?? '') ? (search.get('by') as FundingGroupBy) : 'GOAL';
  const yearParam = Number(search.get('year'));
  const year = (PLAN_YEARS as readonly number[]).includes(yearParam) ? yearParam : null;
  const linesYear = year ?? PLAN_YEARS[PLAN_YEARS.length - 1] ?? 2014;
  const summary = useQuery(FundingSummaryDocument, { variables: { planId, fiscalYear: year, groupBy } });
  const lines = useQuery(BudgetLinesDocument, { variables: { fiscalYear: linesYear } });
  const [allocatingLine, setAllocatingLine] = useState<string | null>(null);
  const [allocations, setAllocations] = useState<{ id: string; label: string; fiscalYear: number }[]>([]);
  const [disburseFrom, setDisburseFrom] = useState<string>('');

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
  const mayDisburse = rights.isCoordinator || (lines.data?.budgetLines ?? []).some((l) => rights.canWriteFunding(l.agency.id));

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
          onChange={(value) => setSearchParams({ by: value })}
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
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {rows.map((r) => (
                  <Table.Row key={`${r.key}:${r.fiscalYear ?? ''}`}>
                    <Table.Cell>{r.label}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(r.allocated)}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(r.disbursed)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </>
        )}
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
                const code = `${line.chapter}/${String(line.post).padStart(2, '0')}`;
                const remaining = subtractMoney(line.appropriated, line.allocated);
                return (
                  <Table.Row key={line.id}>
                    <Table.Cell>{code}</Table.Cell>
                    <Table.Cell>{line.title}</Table.Cell>
                    <Table.Cell>{line.agency.name}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(line.appropriated)}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(line.allocated)}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(remaining)}</Table.Cell>
                    <Table.Cell>
                      {rights.canWriteFunding(line.agency.id) && (
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
                      setAllocations((current) => [{ ...allocation, fiscalYear: line.fiscalYear }, ...current]);
                      setDisburseFrom(allocation.id);
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
            {allocations.length > 0 && (
              <>
                <Paragraph data-size="sm">{t('funding.recentAllocations')}</Paragraph>
                <ul>
                  {allocations.map((a) => (
                    <li key={a.id}>
                      {a.label} <code>{a.id}</code>{' '}
                      <Button variant="tertiary" data-size="sm" onClick={() => setDisburseFrom(a.id)}>
                        {t('funding.disburseFrom')}
                      </Button>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <Suspense fallback={<Loading />}>
              <DisburseForm
                key={disburseFrom}
                allocationId={disburseFrom}
                fiscalYear={allocations.find((a) => a.id === disburseFrom)?.fiscalYear ?? null}
              />
            </Suspense>
          </Details.Content>
        </Details>
      )}
    </>
  );
}
