import { useQuery } from '@apollo/client/react';
import { Card, Paragraph, Table } from '@digdir/designsystemet-react';
import { lazy, Suspense } from 'react';
import AllocationList from '../funding/AllocationList';
import ExportButtons from '../funding/ExportButtons';
import { lineCode, subtractMoney } from '../funding/money';
import { BudgetLineDetailDocument, FundingAllocationsDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link, useLocation } from '../router/router';
import { PageHeading, Section } from '../ui/Page';
import { Empty, Loading, QueryError } from '../ui/status';

const ReviseForm = lazy(() => import('./ReviseForm'));

const YEAR = /^\d{4}$/;

/**
 * One budget line: appropriated as recorded and as revised, each revision, the line's allocations
 * (each with its disbursements), and for the line's holder or the coordinator a revision form.
 * The API lists lines by fiscal year, so the address carries the year (`?year=`); without it the
 * year is read from the line's first allocation.
 */
export default function BudgetLinePage({ params }: { params: { id?: string } }) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = params.id ?? '';
  const { search } = useLocation();
  const yearParam = search.get('year') ?? '';
  const firstAllocation = useQuery(FundingAllocationsDocument, { variables: { filter: { budgetLineId: id } }, skip: YEAR.test(yearParam) });
  const year = YEAR.test(yearParam) ? Number(yearParam) : (firstAllocation.data?.allocations.edges[0]?.node.budgetLine.fiscalYear ?? null);
  const { data, error, refetch } = useQuery(BudgetLineDetailDocument, { variables: { fiscalYear: year ?? 0 }, skip: year === null });

  const back = (
    <nav aria-label={t('budgetLine.back')} className="back">
      <Link href={year ? `/funding?year=${year}` : '/funding'}>{t('budgetLine.back')}</Link>
    </nav>
  );
  if (year === null) {
    if (firstAllocation.error) return <QueryError error={firstAllocation.error} onRetry={() => void firstAllocation.refetch()} />;
    if (!firstAllocation.data) return <Loading />;
  }
  if (year !== null && !data) {
    if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
    return <Loading />;
  }
  const line = data?.budgetLines.find((l) => l.id === id);
  if (!line)
    return (
      <>
        {back}
        <PageHeading title={t('budgetLine.notFound', { id })}>{t('budgetLine.notFound', { id })}</PageHeading>
        <Paragraph>{t('budgetLine.notFoundHelp')}</Paragraph>
      </>
    );

  const code = lineCode(line);
  const title = `${code} ${line.title}`;
  const mayRevise = line.viewerCanRevise;
  return (
    <>
      {back}
      <Paragraph data-size="sm" className="eyebrow">
        {t('budgetLine.eyebrow', { year: String(line.fiscalYear) })}
      </Paragraph>
      <PageHeading title={title} intro={t('budgetLine.intro', { year: String(line.fiscalYear), agency: line.agency.name })}>
        {title}
      </PageHeading>
      <div className="grid-2">
        <Section title={t('budgetLine.appropriation')}>
          <Card data-color="neutral">
            <dl className="figures">
              <div>
                <dt>{t('budgetLine.original')}</dt>
                <dd>{i18n.money(line.appropriatedOriginal)}</dd>
              </div>
              <div>
                <dt>{t('budgetLine.current')}</dt>
                <dd>{i18n.money(line.appropriated)}</dd>
              </div>
              <div>
                <dt>{t('funding.allocated')}</dt>
                <dd>{i18n.money(line.allocated)}</dd>
              </div>
              <div>
                <dt>{t('funding.remaining')}</dt>
                <dd>{i18n.money(subtractMoney(line.appropriated, line.allocated))}</dd>
              </div>
            </dl>
          </Card>
          <dl className="facts">
            <dt>{t('funding.holder')}</dt>
            <dd>
              <Link href={`/agencies/${encodeURIComponent(line.agency.id)}`}>{line.agency.name}</Link>
            </dd>
            <dt>{t('budgetLine.chapterPost')}</dt>
            <dd>{code}</dd>
          </dl>
        </Section>
        <Section title={t('budgetLine.revisions')}>
          {line.revisions.length === 0 ? (
            <Empty>{t('budgetLine.noRevisions')}</Empty>
          ) : (
            <Table zebra data-size="sm">
              <caption className="visually-hidden">{t('budgetLine.revisions')}</caption>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell>{t('budgetLine.decidedOn')}</Table.HeaderCell>
                  <Table.HeaderCell className="num">{t('budgetLine.appropriatedAfter')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('budgetLine.reason')}</Table.HeaderCell>
                  <Table.HeaderCell>{t('budgetLine.recordedAt')}</Table.HeaderCell>
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {line.revisions.map((r) => (
                  <Table.Row key={`${r.recordedAt}:${r.decidedOn}:${r.appropriated}`}>
                    <Table.Cell>{i18n.date(r.decidedOn)}</Table.Cell>
                    <Table.Cell className="num">{i18n.money(r.appropriated)}</Table.Cell>
                    <Table.Cell className="prewrap">{r.reason}</Table.Cell>
                    <Table.Cell>{i18n.dateTime(r.recordedAt)}</Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          )}
          {mayRevise && (
            <Section title={t('budgetLine.revise')} level={3}>
              <Suspense fallback={<Loading />}>
                <ReviseForm line={line} />
              </Suspense>
            </Section>
          )}
        </Section>
      </div>
      <Section title={t('budgetLine.allocations')}>
        <AllocationList filter={{ budgetLineId: line.id }} caption={t('funding.allocationsOfLine', { line: title })} level={3} />
      </Section>
      <Section title={t('exports.title')}>
        <ExportButtons
          csv={[
            { dataset: 'allocations', params: { budgetLineId: line.id } },
            { dataset: 'budget-lines', params: { fiscalYear: line.fiscalYear, agencyId: line.agency.id } },
          ]}
        />
      </Section>
    </>
  );
}
