import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Card, Details, Heading, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { lazy, Suspense, useState } from 'react';
import { FormProblem, useForm } from '../forms/useForm';
import { MeasurePageDocument, RemoveRoleDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { STATUS_COLOR } from '../plan/PlanPage';
import { Link } from '../router/router';
import { useApp } from '../session/context';
import { PageHeading, Section } from '../ui/Page';
import { Empty, Loading, QueryError, Success } from '../ui/status';
import { MeasureProvenance } from './Provenance';
import { MeasureResults } from './Results';

const EditMeasureForm = lazy(() => import('./EditMeasureForm'));
const AssignForm = lazy(() => import('./AssignForm'));
const ReportForm = lazy(() => import('./ReportForm'));

export default function MeasurePage({ params }: { params: { id?: string } }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { viewer } = useApp();
  const id = params.id ?? '';
  const { data, error, refetch } = useQuery(MeasurePageDocument, { variables: { id } });
  const [remove] = useMutation(RemoveRoleDocument);
  const removal = useForm<'agencyId'>();
  const [removing, setRemoving] = useState<string | null>(null);

  if (!data) {
    if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
    return <Loading />;
  }
  const m = data.measure;
  if (!m)
    return (
      <>
        <PageHeading title={t('measure.notFound', { id })}>{t('measure.notFound', { id })}</PageHeading>
        <Link href="/">{t('measure.back')}</Link>
      </>
    );

  const label = m.number !== null && m.number !== undefined ? t('measure.number', { number: m.number }) : t('measure.unnumbered');
  const reports = m.statusReports.edges.map((e) => e.node);
  const mayReport = m.viewerCanReport;
  const agencyName = new Map(m.responsibilities.map((r) => [r.agency.id, r.agency.name]));

  const removeRole = (agencyId: string, agencyName: string) => {
    setRemoving(agencyId);
    void removal
      .run(async () => {
        await remove({ variables: { input: { measureId: m.id, agencyId } } });
        return t('measure.removed', { agency: agencyName });
      })
      .finally(() => setRemoving(null));
  };

  return (
    <>
      <nav aria-label={t('measure.back')} className="back">
        <Link href="/">{t('measure.back')}</Link>
      </nav>
      <Paragraph data-size="sm" className="eyebrow">
        {label} · {m.plan.title}
      </Paragraph>
      <PageHeading title={m.title}>{m.title}</PageHeading>
      <div className="meta">
        <Tag data-color={STATUS_COLOR[m.status]}>{t(`status.${m.status}`)}</Tag>
        <Paragraph data-size="sm">{t('measure.version', { version: m.version, date: i18n.dateTime(m.updatedAt) })}</Paragraph>
        {viewer.canReadAudit && <Link href={`/audit/${encodeURIComponent(m.id)}`}>{t('measure.auditLink')}</Link>}
        <MeasureProvenance id={m.id} />
      </div>

      <div className="grid-2">
        <Section title={t('measure.description')}>
          <Paragraph className="prewrap">{m.description || t('measure.noDescription')}</Paragraph>
          <Heading level={3} data-size="xs">
            {t('measure.goals')}
          </Heading>
          {m.goals.length === 0 ? (
            <Paragraph>{t('app.none')}</Paragraph>
          ) : (
            <ul>
              {m.goals.map((g) => (
                <li key={g.number}>
                  {g.number}. {g.title}
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section title={t('measure.funding')}>
          <Card data-color="neutral">
            <dl className="figures">
              <div>
                <dt>{t('measure.allocated')}</dt>
                <dd>{i18n.money(m.funding.allocated)}</dd>
              </div>
              <div>
                <dt>{t('measure.disbursed')}</dt>
                <dd>{i18n.money(m.funding.disbursed)}</dd>
              </div>
            </dl>
          </Card>
        </Section>
      </div>

      <Section title={t('measure.responsibilities')}>
        {removal.done && <Success>{removal.done}</Success>}
        <FormProblem problem={removal.problem} fieldsShown={[]} />
        {m.responsibilities.length === 0 ? (
          <Empty>{t('measure.noResponsibilities')}</Empty>
        ) : (
          <Table zebra>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('measure.agency')}</Table.HeaderCell>
                <Table.HeaderCell>{t('measure.role')}</Table.HeaderCell>
                {m.viewerCanAssign && (
                  <Table.HeaderCell>
                    <span className="visually-hidden">{t('measure.remove')}</span>
                  </Table.HeaderCell>
                )}
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {m.responsibilities.map((r) => (
                <Table.Row key={r.agency.id}>
                  <Table.Cell>
                    <Link href={`/agencies/${encodeURIComponent(r.agency.id)}`}>{r.agency.name}</Link>
                  </Table.Cell>
                  <Table.Cell>{t(`responsibility.${r.role}`)}</Table.Cell>
                  {m.viewerCanAssign && (
                    <Table.Cell>
                      <Button
                        variant="tertiary"
                        data-size="sm"
                        data-color="danger"
                        disabled={removing !== null}
                        aria-label={t('measure.removeLabel', { agency: r.agency.name })}
                        onClick={() => removeRole(r.agency.id, r.agency.name)}
                      >
                        {t('measure.remove')}
                      </Button>
                    </Table.Cell>
                  )}
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
        {m.viewerCanAssign && (
          <Details>
            <Details.Summary>{t('measure.assign')}</Details.Summary>
            <Details.Content>
              <Suspense fallback={<Loading />}>
                <AssignForm measureId={m.id} />
              </Suspense>
            </Details.Content>
          </Details>
        )}
      </Section>

      <Section title={t('measure.reports')}>
        {reports.length === 0 ? (
          <Empty>{t('measure.noReports')}</Empty>
        ) : (
          <Table zebra>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('measure.reportPeriod')}</Table.HeaderCell>
                <Table.HeaderCell>{t('measure.reportStatus')}</Table.HeaderCell>
                <Table.HeaderCell>{t('measure.reportProgress')}</Table.HeaderCell>
                <Table.HeaderCell>{t('measure.reportSummary')}</Table.HeaderCell>
                <Table.HeaderCell>{t('measure.reportedBy')}</Table.HeaderCell>
                <Table.HeaderCell>{t('measure.reportedAt')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {reports.map((r) => (
                <Table.Row key={`${r.period}:${r.reportedBy.id}`}>
                  <Table.Cell>{i18n.period(r.period)}</Table.Cell>
                  <Table.Cell>{t(`status.${r.status}`)}</Table.Cell>
                  <Table.Cell>{i18n.percent(r.progressPercent / 100)}</Table.Cell>
                  <Table.Cell className="prewrap">{r.summary}</Table.Cell>
                  <Table.Cell>{agencyName.get(r.reportedBy.id) ?? r.reportedBy.id}</Table.Cell>
                  <Table.Cell>{i18n.dateTime(r.reportedAt)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
        {mayReport && (
          <Details>
            <Details.Summary>{t('measure.submitReport')}</Details.Summary>
            <Details.Content>
              <Suspense fallback={<Loading />}>
                <ReportForm measureId={m.id} currentStatus={m.status} />
              </Suspense>
            </Details.Content>
          </Details>
        )}
      </Section>

      <MeasureResults measureId={m.id} mayManage={m.viewerCanManageResults} />

      {m.viewerCanEdit && (
        <Section title={t('measure.editTitle')}>
          <Suspense fallback={<Loading />}>
            <EditMeasureForm measure={m} planId={m.plan.id} />
          </Suspense>
        </Section>
      )}
    </>
  );
}
