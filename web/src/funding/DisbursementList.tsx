import { useQuery } from '@apollo/client/react';
import { Button, Table } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { FundingDisbursementsDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Empty, Loading, QueryError } from '../ui/status';

/** The payments against one allocation, by date, a page at a time. */
export default function DisbursementList({ allocationId, caption }: { allocationId: string; caption: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, loading, fetchMore, refetch } = useQuery(FundingDisbursementsDocument, {
    variables: { filter: { allocationId } },
  });
  const [more, setMore] = useState(false);
  const page = data?.disbursements;
  const rows = page?.edges.map((e) => e.node) ?? [];

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
  if (rows.length === 0) return <Empty>{t('funding.noDisbursements')}</Empty>;
  return (
    <>
      <Table zebra data-size="sm">
        <caption>{caption}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>{t('funding.date')}</Table.HeaderCell>
            <Table.HeaderCell className="num">{t('funding.disbursed')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {rows.map((d) => (
            <Table.Row key={d.id}>
              <Table.Cell>{i18n.date(d.date)}</Table.Cell>
              <Table.Cell className="num">{i18n.money(d.amount)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {page?.pageInfo.hasNextPage && (
        <Button variant="tertiary" data-size="sm" disabled={more} onClick={() => void loadMore()}>
          {more ? t('app.loading') : t('app.loadMore')}
        </Button>
      )}
    </>
  );
}
