import { useQuery } from '@apollo/client/react';
import { Button, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { AgencyDuties } from '../duties/AgencyDuties';
import { lineCode } from '../funding/money';
import { AgencyProfileDocument, AgencyResponsibilitiesDocument, BudgetLinesDocument, SheltersDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { STATUS_COLOR } from '../plan/PlanPage';
import { Link, setSearchParams, useLocation } from '../router/router';
import { SelectField } from '../ui/fields';
import { PLAN_YEARS } from '../ui/labels';
import { PageHeading, Section } from '../ui/Page';
import { Empty, Loading, QueryError } from '../ui/status';

export default function AgencyPage({ params }: { params: { id?: string } }) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = params.id ?? '';
  const { search } = useLocation();
  const year = Number(search.get('year') ?? PLAN_YEARS[PLAN_YEARS.length - 1]);
  const profile = useQuery(AgencyProfileDocument, { variables: { id } });
  const responsibilities = useQuery(AgencyResponsibilitiesDocument, { variables: { agencyId: id, first: 50 } });
  const shelters = useQuery(SheltersDocument, { variables: { filter: { operatorId: id }, first: 50 } });
  const lines = useQuery(BudgetLinesDocument, { variables: { fiscalYear: year, agencyId: id } });

  if (!profile.data) {
    if (profile.error) return <QueryError error={profile.error} onRetry={() => void profile.refetch()} />;
    return <Loading />;
  }
  const agency = profile.data.agency;
  if (!agency) return <PageHeading title={t('agency.notFound', { id })}>{t('agency.notFound', { id })}</PageHeading>;

  const roles = responsibilities.data?.agency?.responsibilities;
  return (
    <>
      <PageHeading title={agency.name}>{agency.name}</PageHeading>
      <div className="meta">
        <Tag data-color="neutral">{t(`agencyKind.${agency.kind}`)}</Tag>
        {agency.parent && <Paragraph data-size="sm">{t('agency.parent', { name: agency.parent.name })}</Paragraph>}
        {agency.viewerCanReadAuditTrail && <Link href={`/audit/${encodeURIComponent(agency.id)}`}>{t('measure.auditLink')}</Link>}
      </div>

      <Section title={t('agency.measures')}>
        {responsibilities.error && <QueryError error={responsibilities.error} />}
        {!roles && !responsibilities.error && <Loading />}
        {roles && roles.edges.length === 0 && <Empty>{t('agency.noMeasures')}</Empty>}
        {roles && roles.edges.length > 0 && (
          <Table zebra>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('plan.measureTitle')}</Table.HeaderCell>
                <Table.HeaderCell>{t('measure.role')}</Table.HeaderCell>
                <Table.HeaderCell>{t('plan.status')}</Table.HeaderCell>
                <Table.HeaderCell>{t('measure.allocated')}</Table.HeaderCell>
                <Table.HeaderCell>{t('measure.disbursed')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {roles.edges.map(({ node }) => (
                <Table.Row key={node.measure.id}>
                  <Table.Cell>
                    <Link href={`/measures/${encodeURIComponent(node.measure.id)}`}>
                      {node.measure.number !== null && node.measure.number !== undefined ? `${node.measure.number}. ` : ''}
                      {node.measure.title}
                    </Link>
                  </Table.Cell>
                  <Table.Cell>{t(`responsibility.${node.role}`)}</Table.Cell>
                  <Table.Cell>
                    <Tag data-size="sm" data-color={STATUS_COLOR[node.measure.status]}>
                      {t(`status.${node.measure.status}`)}
                    </Tag>
                  </Table.Cell>
                  <Table.Cell className="num">{i18n.money(node.measure.funding.allocated)}</Table.Cell>
                  <Table.Cell className="num">{i18n.money(node.measure.funding.disbursed)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
        {roles?.pageInfo.hasNextPage && (
          <Button variant="secondary" onClick={() => void responsibilities.fetchMore({ variables: { after: roles.pageInfo.endCursor } })}>
            {t('app.loadMore')}
          </Button>
        )}
      </Section>

      <Section title={t('agency.duties')}>
        <AgencyDuties agencyId={agency.id} agencyName={agency.name} param="dutyStatus" />
      </Section>

      <Section title={t('agency.shelters')}>
        {shelters.error && <QueryError error={shelters.error} />}
        {!shelters.data && !shelters.error && <Loading />}
        {shelters.data && shelters.data.shelters.edges.length === 0 && <Empty>{t('agency.noShelters')}</Empty>}
        {shelters.data && shelters.data.shelters.edges.length > 0 && (
          <ul>
            {shelters.data.shelters.edges.map(({ node }) => (
              <li key={node.id}>
                <Link href={`/shelters?operator=${encodeURIComponent(id)}`}>{node.name}</Link> ({node.region})
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={t('agency.budgetLines')}>
        <SelectField
          label={t('agency.fiscalYear')}
          name="year"
          width="auto"
          value={String(year)}
          onChange={(value) => setSearchParams({ year: value })}
          options={PLAN_YEARS.map((y) => ({ value: String(y), label: String(y) }))}
        />
        {lines.error && <QueryError error={lines.error} />}
        {!lines.data && !lines.error && <Loading />}
        {lines.data && lines.data.budgetLines.length === 0 && <Empty>{t('agency.noBudgetLines', { year: String(year) })}</Empty>}
        {lines.data && lines.data.budgetLines.length > 0 && (
          <Table zebra>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('funding.line')}</Table.HeaderCell>
                <Table.HeaderCell>{t('funding.lineTitle')}</Table.HeaderCell>
                <Table.HeaderCell>{t('funding.appropriated')}</Table.HeaderCell>
                <Table.HeaderCell>{t('funding.allocated')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {lines.data.budgetLines.map((line) => (
                <Table.Row key={line.id}>
                  <Table.Cell>{lineCode(line)}</Table.Cell>
                  <Table.Cell>
                    <Link href={`/funding?year=${line.fiscalYear}`}>{line.title}</Link>
                  </Table.Cell>
                  <Table.Cell className="num">{i18n.money(line.appropriated)}</Table.Cell>
                  <Table.Cell className="num">{i18n.money(line.allocated)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </Section>
    </>
  );
}
