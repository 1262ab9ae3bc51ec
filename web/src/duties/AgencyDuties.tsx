import { useQuery } from '@apollo/client/react';
import { Button, Paragraph } from '@digdir/designsystemet-react';
import { MyDutiesDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { setSearchParams, useLocation } from '../router/router';
import { Empty, Loading, QueryError } from '../ui/status';
import { DutyStatusFilter, DutyTable, parseDutyStatus } from './DutyTable';

/**
 * An agency's reporting duties across plans, by due date, for periods that have begun: a status
 * filter kept in the address (`param`), 20 at a time with "show more".
 */
export function AgencyDuties({ agencyId, agencyName, param = 'status' }: { agencyId: string; agencyName: string; param?: string }) {
  const { t } = useI18n();
  const { search } = useLocation();
  const status = parseDutyStatus(search.get(param));
  const { data, error, refetch, fetchMore, loading } = useQuery(MyDutiesDocument, {
    variables: { agencyId, status, first: 20 },
    // A report submitted on a measure's page changes a duty here: show the cached page, then the fresh one.
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  const duties = data?.agency?.reportingDuties;
  return (
    <>
      <DutyStatusFilter value={status} onChange={(s) => setSearchParams({ [param]: s })} />
      {error && <QueryError error={error} onRetry={() => void refetch()} />}
      {!duties && !error && <Loading />}
      {duties && duties.edges.length === 0 && <Empty>{t('duties.none')}</Empty>}
      {duties && duties.edges.length > 0 && (
        <>
          <DutyTable caption={t('duties.myCaption', { agency: agencyName })} duties={duties.edges.map((e) => e.node)} show="plan" />
          <Paragraph data-size="sm" aria-live="polite">
            {t('duties.shown', { shown: duties.edges.length })}
          </Paragraph>
        </>
      )}
      {duties?.pageInfo.hasNextPage && (
        <Button variant="secondary" disabled={loading} onClick={() => void fetchMore({ variables: { after: duties.pageInfo.endCursor } })}>
          {t('app.loadMore')}
        </Button>
      )}
    </>
  );
}
