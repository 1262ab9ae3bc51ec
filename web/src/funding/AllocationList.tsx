import { useQuery } from '@apollo/client/react';
import { Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { type AllocationFilter, FundingAllocationsDocument, type FundingAllocationsQuery } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';
import { Empty, Loading, QueryError } from '../ui/status';
import DisbursementList from './DisbursementList';
import { lineCode } from './money';
import { budgetLineHref } from './shared';

const DisburseForm = lazy(() => import('./DisburseForm'));

type AllocationNode = FundingAllocationsQuery['allocations']['edges'][number]['node'];

/** What an allocation went to: its measure, recipient and/or shelter, in words. */
export function allocationTarget(a: Pick<AllocationNode, 'measure' | 'recipient' | 'shelter'>, none: string): string {
  const parts = [
    a.measure
      ? a.measure.number !== null && a.measure.number !== undefined
        ? `${a.measure.number}. ${a.measure.title}`
        : a.measure.title
      : null,
    a.recipient?.name ?? null,
    a.shelter?.name ?? null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' · ') : none;
}

/**
 * The allocations behind a total, a page at a time ("show more"), each with its disbursements; a
 * holder of the line (or the coordinator) picks one to record a payment against.
 * `fiscalYear` keeps only allocations from lines of that year (for filters the index does not serve).
 */
export default function AllocationList({
  filter,
  caption,
  fiscalYear = null,
  level = 4,
  initialOpen = null,
}: {
  filter: AllocationFilter;
  caption: string;
  fiscalYear?: number | null;
  /** The level of the heading over the chosen allocation's disbursements: one below the list's own. */
  level?: 3 | 4;
  /** An allocation to open at once (one just made), when it is on the first page. */
  initialOpen?: string | null;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, loading, fetchMore, refetch } = useQuery(FundingAllocationsDocument, { variables: { filter } });
  const [more, setMore] = useState(false);
  const [open, setOpen] = useState<string | null>(initialOpen);
  const panelHeading = useRef<HTMLHeadingElement>(null);
  const panelId = useId();
  const page = data?.allocations;
  const all = page?.edges.map((e) => e.node) ?? [];
  const rows = fiscalYear === null ? all : all.filter((a) => a.budgetLine.fiscalYear === fiscalYear);
  const chosen = rows.find((a) => a.id === open) ?? null;
  // The line's own list need not name the line in every row.
  const showLine = !filter.budgetLineId;

  useEffect(() => {
    if (open) panelHeading.current?.focus();
  }, [open]);

  const loadMore = async () => {
    if (!page?.pageInfo.endCursor) return;
    setMore(true);
    try {
      await fetchMore({ variables: { after: page.pageInfo.endCursor } });
    } finally {
      setMore(false);
    }
  };

  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (!data && loading) return <Loading />;
  const none = t('app.none');
  const labelOf = (a: AllocationNode) => `${lineCode(a.budgetLine)} → ${allocationTarget(a, none)} (${i18n.money(a.amount)})`;
  return (
    <div className="allocation-list">
      {fiscalYear !== null && <Paragraph data-size="sm">{t('funding.onlyYear', { year: String(fiscalYear) })}</Paragraph>}
      {rows.length === 0 && !page?.pageInfo.hasNextPage && <Empty>{t('funding.noAllocations')}</Empty>}
      {rows.length > 0 && (
        <Table zebra data-size="sm">
          {/* The heading above says the same; the caption names the table for those who list tables. */}
          <caption className="visually-hidden">{caption}</caption>
          <Table.Head>
            <Table.Row>
              {showLine && <Table.HeaderCell>{t('funding.line')}</Table.HeaderCell>}
              {showLine && <Table.HeaderCell>{t('funding.year')}</Table.HeaderCell>}
              <Table.HeaderCell>{t('funding.target')}</Table.HeaderCell>
              <Table.HeaderCell className="num">{t('funding.allocated')}</Table.HeaderCell>
              <Table.HeaderCell className="num">{t('funding.disbursed')}</Table.HeaderCell>
              <Table.HeaderCell>
                <span className="visually-hidden">{t('funding.disbursements')}</span>
              </Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {rows.map((a) => (
              <Table.Row key={a.id}>
                {showLine && (
                  <Table.Cell>
                    <Link href={budgetLineHref(a.budgetLine)}>{`${lineCode(a.budgetLine)} ${a.budgetLine.title}`}</Link>
                  </Table.Cell>
                )}
                {showLine && <Table.Cell>{a.budgetLine.fiscalYear}</Table.Cell>}
                <Table.Cell>
                  {a.measure ? (
                    <Link href={`/measures/${encodeURIComponent(a.measure.id)}`}>{allocationTarget(a, none)}</Link>
                  ) : (
                    allocationTarget(a, none)
                  )}
                </Table.Cell>
                <Table.Cell className="num">{i18n.money(a.amount)}</Table.Cell>
                <Table.Cell className="num">{i18n.money(a.disbursed)}</Table.Cell>
                <Table.Cell>
                  <Button
                    variant="tertiary"
                    data-size="sm"
                    aria-expanded={open === a.id}
                    aria-controls={open === a.id ? panelId : undefined}
                    aria-label={t(a.viewerCanDisburse ? 'funding.pickLabel' : 'funding.disbursementsLabel', {
                      allocation: labelOf(a),
                    })}
                    onClick={() => setOpen((current) => (current === a.id ? null : a.id))}
                  >
                    {a.viewerCanDisburse ? t('funding.pick') : t('funding.disbursements')}
                  </Button>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {page?.pageInfo.hasNextPage && (
        <Button variant="secondary" data-size="sm" disabled={more} onClick={() => void loadMore()}>
          {more ? t('app.loading') : t('app.loadMore')}
        </Button>
      )}
      {chosen && (
        <section className="section allocation-panel" id={panelId} aria-labelledby={`${panelId}-h`}>
          <Heading level={level} data-size="xs" id={`${panelId}-h`} tabIndex={-1} ref={panelHeading}>
            {t('funding.disbursementsOf', { allocation: labelOf(chosen) })}
          </Heading>
          <DisbursementList allocationId={chosen.id} caption={t('funding.disbursementsOf', { allocation: labelOf(chosen) })} />
          {chosen.viewerCanDisburse && (
            <Suspense fallback={<Loading />}>
              <DisburseForm
                key={chosen.id}
                allocation={{
                  id: chosen.id,
                  label: labelOf(chosen),
                  fiscalYear: chosen.budgetLine.fiscalYear,
                  amount: chosen.amount,
                  disbursed: chosen.disbursed,
                }}
              />
            </Suspense>
          )}
        </section>
      )}
    </div>
  );
}
