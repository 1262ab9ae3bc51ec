import { useQuery } from '@apollo/client/react';
import { Alert, Button, Table } from '@digdir/designsystemet-react';
import { Fragment } from 'react';
import { AuditTrailDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { useApp } from '../session/context';
import { PageHeading } from '../ui/Page';
import { Empty, Loading, QueryError } from '../ui/status';

const show = (value: unknown) => (value === null || value === undefined ? '–' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The changed fields, "before → after", from the entry's JSON (confidential fields say only that
 * they changed); anything of another shape is shown as the server wrote it.
 */
function Changes({ changes }: { changes: string | null | undefined }) {
  if (!changes) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(changes);
  } catch {
    return <pre className="changes">{changes}</pre>;
  }
  const { before, after } = (parsed ?? {}) as { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null };
  if ((before && typeof before !== 'object') || (after && typeof after !== 'object') || (!before && !after))
    return <pre className="changes">{JSON.stringify(parsed, null, 1)}</pre>;
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
    (f) => JSON.stringify(before?.[f] ?? null) !== JSON.stringify(after?.[f] ?? null),
  );
  return (
    <dl className="changes-list">
      {fields.map((f) => (
        <Fragment key={f}>
          <dt>{f}</dt>
          <dd>
            {show(before?.[f])} → {show(after?.[f])}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

export default function AuditPage({ params }: { params: { entityId?: string } }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { viewer } = useApp();
  const entityId = params.entityId ?? '';
  const { data, error, loading, refetch, fetchMore } = useQuery(AuditTrailDocument, {
    variables: { entityId, first: 20 },
    skip: !viewer.canReadAudit,
  });

  const heading = <PageHeading title={t('audit.title')}>{t('audit.for', { id: entityId })}</PageHeading>;
  if (!viewer.canReadAudit)
    return (
      <>
        {heading}
        <Alert data-color="warning">{t('audit.forbidden')}</Alert>
      </>
    );
  const entries = data?.auditTrail.edges.map((e) => e.node) ?? [];
  return (
    <>
      {heading}
      {error && <QueryError error={error} onRetry={() => void refetch()} />}
      {!data && loading && <Loading />}
      {data && entries.length === 0 && <Empty>{t('audit.none')}</Empty>}
      {entries.length > 0 && (
        <Table zebra data-size="sm">
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('audit.at')}</Table.HeaderCell>
              <Table.HeaderCell>{t('audit.action')}</Table.HeaderCell>
              <Table.HeaderCell>{t('audit.actor')}</Table.HeaderCell>
              <Table.HeaderCell>{t('audit.changes')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {entries.map((e) => (
              <Table.Row key={e.id}>
                <Table.Cell>{i18n.dateTime(e.at)}</Table.Cell>
                <Table.Cell>
                  <code>{e.action}</code>
                </Table.Cell>
                <Table.Cell>
                  {e.actor.roles.map((r) => t(`roles.${r}`)).join(', ')}
                  {e.actor.agency ? ` (${e.actor.agency.id})` : ''}
                </Table.Cell>
                <Table.Cell>
                  <Changes changes={e.changes} />
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {data?.auditTrail.pageInfo.hasNextPage && (
        <Button variant="secondary" onClick={() => void fetchMore({ variables: { after: data.auditTrail.pageInfo.endCursor } })}>
          {t('app.loadMore')}
        </Button>
      )}
    </>
  );
}
