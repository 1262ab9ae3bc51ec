import { useQuery } from '@apollo/client/react';
import { Button, Card, Details, Heading, Paragraph, Tag } from '@digdir/designsystemet-react';
import { lazy, Suspense, useState } from 'react';
import { AgencyDirectoryDocument, type AssistanceService, type ShelterFilter, ShelterListDocument, type TargetGroup } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link, setSearchParams, useLocation } from '../router/router';
import { useApp } from '../session/context';
import { SelectField } from '../ui/fields';
import { SERVICES, TARGET_GROUPS } from '../ui/labels';
import { PageHeading, Section } from '../ui/Page';
import { useRegions } from '../ui/regions';
import { Empty, Loading, QueryError } from '../ui/status';

const RegisterShelterForm = lazy(() => import('./RegisterShelterForm'));
const ManageShelter = lazy(() => import('./ManageShelter'));

export default function SheltersPage() {
  const counties = useRegions();
  const i18n = useI18n();
  const { t } = i18n;
  const { viewer } = useApp();
  const { search } = useLocation();
  const county = search.get('county') ?? '';
  const operator = search.get('operator') ?? '';
  const service = (SERVICES as readonly string[]).includes(search.get('service') ?? '') ? (search.get('service') as AssistanceService) : '';
  const targetGroup = (TARGET_GROUPS as readonly string[]).includes(search.get('target') ?? '')
    ? (search.get('target') as TargetGroup)
    : '';
  const filter: ShelterFilter = {
    ...(county ? { region: county } : {}),
    ...(operator ? { operatorId: operator } : {}),
    ...(service ? { service } : {}),
    ...(targetGroup ? { targetGroup } : {}),
  };
  const agencies = useQuery(AgencyDirectoryDocument);
  const { data, error, loading, refetch, fetchMore } = useQuery(ShelterListDocument, { variables: { filter, first: 20 } });
  const [managing, setManaging] = useState<string | null>(null);
  const filtered = Object.keys(filter).length > 0;

  return (
    <>
      <PageHeading title={t('shelters.title')} intro={t('shelters.intro')}>
        {t('shelters.title')}
      </PageHeading>

      <Section title={t('shelters.filters')}>
        <div className="filters">
          <SelectField
            label={t('shelters.county')}
            name="county"
            value={county}
            onChange={(value) => setSearchParams({ county: value })}
            options={[{ value: '', label: t('shelters.allCounties') }, ...counties.map((c) => ({ value: c, label: c }))]}
          />
          <SelectField
            label={t('shelters.operator')}
            name="operator"
            value={operator}
            onChange={(value) => setSearchParams({ operator: value })}
            options={[
              { value: '', label: t('shelters.allOperators') },
              ...(agencies.data?.agencies ?? []).map((a) => ({ value: a.id, label: a.name })),
              ...(operator && !agencies.data?.agencies.some((a) => a.id === operator) ? [{ value: operator, label: operator }] : []),
            ]}
          />
          <SelectField
            label={t('shelters.service')}
            name="service"
            value={service}
            onChange={(value) => setSearchParams({ service: value })}
            options={[{ value: '', label: t('shelters.allServices') }, ...SERVICES.map((s) => ({ value: s, label: t(`service.${s}`) }))]}
          />
          <SelectField
            label={t('shelters.targetGroup')}
            name="target"
            value={targetGroup}
            onChange={(value) => setSearchParams({ target: value })}
            options={[
              { value: '', label: t('shelters.allTargetGroups') },
              ...TARGET_GROUPS.map((g) => ({ value: g, label: t(`targetGroup.${g}`) })),
            ]}
          />
        </div>
        {filtered && (
          <Button
            variant="tertiary"
            data-size="sm"
            onClick={() => setSearchParams({ county: null, operator: null, service: null, target: null })}
          >
            {t('shelters.clearFilters')}
          </Button>
        )}
      </Section>

      {viewer.canRegisterShelter && viewer.agencyId && (
        <Details>
          <Details.Summary>{t('shelters.register')}</Details.Summary>
          <Details.Content>
            <Suspense fallback={<Loading />}>
              <RegisterShelterForm operatorId={viewer.agencyId} />
            </Suspense>
          </Details.Content>
        </Details>
      )}

      <Section title={t('shelters.title')}>
        {error && <QueryError error={error} onRetry={() => void refetch()} />}
        {!data && loading && <Loading />}
        {data && data.shelters.edges.length === 0 && <Empty>{t('shelters.none')}</Empty>}
        <ul className="cards" aria-busy={loading}>
          {data?.shelters.edges.map(({ node }) => {
            const own = node.viewerCanUpdate;
            const latest = node.latestCapacity;
            return (
              <li key={node.id} className={managing === node.id ? 'managing' : undefined}>
                <Card data-color={own ? 'accent' : 'neutral'}>
                  <Heading level={3} data-size="xs">
                    {node.name}
                  </Heading>
                  <Paragraph data-size="sm">
                    <Link href={`/agencies/${encodeURIComponent(node.operator.id)}`}>{node.operator.name}</Link> · {node.region}
                  </Paragraph>
                  {own && (
                    <Tag data-size="sm" data-color="accent">
                      {t('shelters.yourShelter')}
                    </Tag>
                  )}
                  <dl className="facts">
                    <dt>{t('shelters.targetGroups')}</dt>
                    <dd>{node.targetGroups.map((g) => t(`targetGroup.${g}`)).join(', ') || t('app.none')}</dd>
                    <dt>{t('shelters.services')}</dt>
                    <dd>{node.services.map((s) => t(`service.${s}`)).join(', ') || t('app.none')}</dd>
                    <dt>{t('shelters.latest')}</dt>
                    <dd>
                      {!latest
                        ? t('shelters.noReport')
                        : latest.occupied === null || latest.occupied === undefined
                          ? t('shelters.capacitySuppressed', { capacity: latest.capacity, date: i18n.date(latest.date) })
                          : t('shelters.capacityOf', {
                              occupied: latest.occupied,
                              capacity: latest.capacity,
                              date: i18n.date(latest.date),
                            })}
                    </dd>
                  </dl>
                  {own && (
                    <Button
                      variant="secondary"
                      data-size="sm"
                      aria-expanded={managing === node.id}
                      onClick={() => setManaging((current) => (current === node.id ? null : node.id))}
                    >
                      {t('shelters.manage')}
                    </Button>
                  )}
                  {own && managing === node.id && (
                    <Suspense fallback={<Loading />}>
                      <ManageShelter shelterId={node.id} />
                    </Suspense>
                  )}
                </Card>
              </li>
            );
          })}
        </ul>
        {data?.shelters.pageInfo.hasNextPage && (
          <Button variant="secondary" onClick={() => void fetchMore({ variables: { after: data.shelters.pageInfo.endCursor } })}>
            {t('app.loadMore')}
          </Button>
        )}
      </Section>
    </>
  );
}
