import { useQuery } from '@apollo/client/react';
import { Button, Card, Details, Heading, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { lazy, Suspense, useState } from 'react';
import { MeasureResultsDocument, type MilestoneStatus } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Section } from '../ui/Page';
import { Empty, Loading, QueryError } from '../ui/status';

const MilestoneForm = lazy(() => import('./ResultForms').then((m) => ({ default: m.MilestoneForm })));
const CompleteForm = lazy(() => import('./ResultForms').then((m) => ({ default: m.CompleteForm })));
const IndicatorForm = lazy(() => import('./ResultForms').then((m) => ({ default: m.IndicatorForm })));
const ValueForm = lazy(() => import('./ResultForms').then((m) => ({ default: m.ValueForm })));

/** The colour repeats the status, which is always written out. */
const MILESTONE_COLOR: Record<MilestoneStatus, 'neutral' | 'warning' | 'danger' | 'success'> = {
  UPCOMING: 'neutral',
  DUE: 'warning',
  LATE: 'danger',
  DONE: 'success',
};

/**
 * A measure's milestones and indicators; the coordinator and the measure's LEAD add, change and
 * complete milestones, define indicators and record their values.
 */
export function MeasureResults({ measureId, mayManage }: { measureId: string; mayManage: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, refetch } = useQuery(MeasureResultsDocument, { variables: { id: measureId } });
  const [open, setOpen] = useState<{ id: string; kind: 'edit' | 'complete' } | null>(null);
  const measure = data?.measure;
  const chosen = open && measure?.milestones.find((m) => m.id === open.id);

  return (
    <>
      <Section title={t('results.milestones')}>
        {error && <QueryError error={error} onRetry={() => void refetch()} />}
        {!data && !error && <Loading />}
        {measure && measure.milestones.length === 0 && <Empty>{t('results.noMilestones')}</Empty>}
        {measure && measure.milestones.length > 0 && (
          <Table zebra className="milestones-table">
            <caption className="visually-hidden">{t('results.milestonesCaption')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('results.title')}</Table.HeaderCell>
                <Table.HeaderCell>{t('results.dueDate')}</Table.HeaderCell>
                <Table.HeaderCell>{t('results.status')}</Table.HeaderCell>
                <Table.HeaderCell>{t('results.doneOn')}</Table.HeaderCell>
                {mayManage && <Table.HeaderCell>{t('results.actions')}</Table.HeaderCell>}
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {measure.milestones.map((m) => (
                <Table.Row key={m.id}>
                  <Table.Cell>{m.title}</Table.Cell>
                  <Table.Cell>{i18n.date(m.dueDate)}</Table.Cell>
                  <Table.Cell>
                    <Tag data-size="sm" data-color={MILESTONE_COLOR[m.status]}>
                      {t(`milestoneStatus.${m.status}`)}
                    </Tag>
                  </Table.Cell>
                  <Table.Cell>{m.doneOn ? i18n.date(m.doneOn) : '–'}</Table.Cell>
                  {mayManage && (
                    <Table.Cell>
                      <div className="actions">
                        <Button
                          variant="tertiary"
                          data-size="sm"
                          aria-label={t('results.editLabel', { title: m.title })}
                          aria-expanded={open?.id === m.id && open.kind === 'edit'}
                          onClick={() => setOpen({ id: m.id, kind: 'edit' })}
                        >
                          {t('results.edit')}
                        </Button>
                        {!m.doneOn && (
                          <Button
                            variant="tertiary"
                            data-size="sm"
                            aria-label={t('results.completeLabel', { title: m.title })}
                            aria-expanded={open?.id === m.id && open.kind === 'complete'}
                            onClick={() => setOpen({ id: m.id, kind: 'complete' })}
                          >
                            {t('results.complete')}
                          </Button>
                        )}
                      </div>
                    </Table.Cell>
                  )}
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
        {mayManage && chosen && open && (
          <Card data-color="neutral" className="inline-form">
            <Heading level={3} data-size="xs">
              {open.kind === 'edit' ? t('results.editing', { title: chosen.title }) : t('results.completeLabel', { title: chosen.title })}
            </Heading>
            <Suspense fallback={<Loading />}>
              {open.kind === 'edit' ? (
                <MilestoneForm key={chosen.id} measureId={measureId} milestone={chosen} onDone={() => setOpen(null)} />
              ) : (
                <CompleteForm key={chosen.id} milestone={chosen} onDone={() => setOpen(null)} />
              )}
            </Suspense>
            <Button variant="tertiary" data-size="sm" onClick={() => setOpen(null)}>
              {t('app.cancel')}
            </Button>
          </Card>
        )}
        {mayManage && measure && (
          <Details>
            <Details.Summary>{t('results.addMilestone')}</Details.Summary>
            <Details.Content>
              <Suspense fallback={<Loading />}>
                <MilestoneForm measureId={measureId} />
              </Suspense>
            </Details.Content>
          </Details>
        )}
      </Section>

      <Section title={t('results.indicators')}>
        {!data && !error && <Loading />}
        {measure && measure.indicators.length === 0 && <Empty>{t('results.noIndicators')}</Empty>}
        {measure?.indicators.map((ind) => {
          const latest = ind.values.at(-1);
          return (
            <Card key={ind.id} data-color="neutral" className="indicator">
              <Heading level={3} data-size="xs">
                {ind.name}
              </Heading>
              <Paragraph>
                {t('results.summary', {
                  baseline: i18n.number(ind.baseline),
                  target: i18n.number(ind.target),
                  unit: ind.unit,
                  direction: t(`direction.${ind.direction}`),
                })}
              </Paragraph>
              {latest ? (
                <>
                  <Paragraph>
                    {t('results.latest', { value: i18n.number(latest.value), unit: ind.unit, period: i18n.period(latest.period) })}
                  </Paragraph>
                  <Table zebra data-size="sm">
                    <caption className="visually-hidden">{t('results.indicatorCaption', { name: ind.name })}</caption>
                    <Table.Head>
                      <Table.Row>
                        <Table.HeaderCell>{t('results.period')}</Table.HeaderCell>
                        <Table.HeaderCell className="num">
                          {t('results.value')} ({ind.unit})
                        </Table.HeaderCell>
                        <Table.HeaderCell>{t('results.comment')}</Table.HeaderCell>
                      </Table.Row>
                    </Table.Head>
                    <Table.Body>
                      {ind.values.map((v) => (
                        <Table.Row key={v.period}>
                          <Table.Cell>{i18n.period(v.period)}</Table.Cell>
                          <Table.Cell className="num">{i18n.number(v.value)}</Table.Cell>
                          <Table.Cell className="prewrap">{v.comment ?? ''}</Table.Cell>
                        </Table.Row>
                      ))}
                    </Table.Body>
                  </Table>
                </>
              ) : (
                <Paragraph data-size="sm">{t('results.noValues')}</Paragraph>
              )}
              {mayManage && (
                <Details>
                  <Details.Summary>{t('results.recordLabel', { name: ind.name })}</Details.Summary>
                  <Details.Content>
                    <Suspense fallback={<Loading />}>
                      <ValueForm indicatorId={ind.id} />
                    </Suspense>
                  </Details.Content>
                </Details>
              )}
            </Card>
          );
        })}
        {mayManage && measure && (
          <Details>
            <Details.Summary>{t('results.defineIndicator')}</Details.Summary>
            <Details.Content>
              <Suspense fallback={<Loading />}>
                <IndicatorForm measureId={measureId} />
              </Suspense>
            </Details.Content>
          </Details>
        )}
      </Section>
    </>
  );
}
