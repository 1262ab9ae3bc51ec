import { useQuery } from '@apollo/client/react';
import { Button, Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState } from 'react';
import { BudgetLinesDocument, type FundingGroupBy, GoalMeasuresFundingDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';
import { PLAN_YEARS } from '../ui/labels';
import { Empty, Loading, QueryError } from '../ui/status';
import AllocationList from './AllocationList';
import ExportButtons from './ExportButtons';
import { lineCode, toOre } from './money';
import { budgetLineHref } from './shared';

export interface Drill {
  kind: FundingGroupBy;
  key: string;
  label: string;
}

/**
 * What lies behind one total of the funding page: the allocations of a budget line, measure or year
 * directly (each a filter the API serves from an index); for an agency its budget lines, and for a
 * goal its measures, each opening onto its allocations.
 */
export default function Drilldown({
  drill,
  planId,
  year,
  onClose,
  focus = false,
}: {
  /** Move focus to the heading (when opened by a button, not by the address). */
  focus?: boolean;
  drill: Drill;
  planId: string;
  year: number | null;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  const title = t('funding.drillTitle', { group: drill.label });
  return (
    <section className="section drilldown" aria-labelledby="drill-heading">
      <div className="drill-head">
        <Heading level={3} data-size="sm" id="drill-heading" tabIndex={-1} ref={heading}>
          {title}
        </Heading>
        <Button variant="tertiary" data-size="sm" onClick={onClose}>
          {t('app.close')}
        </Button>
      </div>
      {drill.kind === 'BUDGET_LINE' && <LineAllocations lineId={drill.key} caption={title} />}
      {drill.kind === 'FISCAL_YEAR' && <YearAllocations year={Number(drill.key)} caption={title} />}
      {drill.kind === 'MEASURE' && (
        <>
          <AllocationList filter={{ measureId: drill.key }} caption={title} fiscalYear={year} />
          <Paragraph data-size="sm">
            <Link href={`/measures/${encodeURIComponent(drill.key)}`}>{t('funding.openMeasure', { measure: drill.label })}</Link>
          </Paragraph>
        </>
      )}
      {drill.kind === 'AGENCY' && <AgencyLines agencyId={drill.key} years={year === null ? PLAN_YEARS : [year]} />}
      {drill.kind === 'GOAL' && <GoalMeasures planId={planId} goalNumber={Number(drill.key)} year={year} />}
    </section>
  );
}

function LineAllocations({ lineId, caption }: { lineId: string; caption: string }) {
  return (
    <>
      <AllocationList filter={{ budgetLineId: lineId }} caption={caption} />
      <ExportButtons csv={[{ dataset: 'allocations', params: { budgetLineId: lineId } }]} />
    </>
  );
}

function YearAllocations({ year, caption }: { year: number; caption: string }) {
  return (
    <>
      <AllocationList filter={{ fiscalYear: year }} caption={caption} />
      <ExportButtons
        csv={[
          { dataset: 'allocations', params: { fiscalYear: year } },
          { dataset: 'disbursements', params: { fiscalYear: year } },
        ]}
      />
    </>
  );
}

/** An agency's budget lines in the years asked, each opening onto its allocations. */
function AgencyLines({ agencyId, years }: { agencyId: string; years: readonly number[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      {years.map((y) => (
        <AgencyLinesOfYear key={y} agencyId={agencyId} year={y} open={open} onToggle={(id) => setOpen((c) => (c === id ? null : id))} />
      ))}
    </>
  );
}

function AgencyLinesOfYear({
  agencyId,
  year,
  open,
  onToggle,
}: {
  agencyId: string;
  year: number;
  open: string | null;
  onToggle: (lineId: string) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error, loading, refetch } = useQuery(BudgetLinesDocument, { variables: { fiscalYear: year, agencyId } });
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (!data && loading) return <Loading />;
  const lines = data?.budgetLines ?? [];
  if (lines.length === 0) return null;
  const chosen = lines.find((l) => l.id === open);
  return (
    <>
      <Table zebra data-size="sm">
        <caption>{t('funding.lines', { year: String(year) })}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>{t('funding.line')}</Table.HeaderCell>
            <Table.HeaderCell className="num">{t('funding.appropriated')}</Table.HeaderCell>
            <Table.HeaderCell className="num">{t('funding.allocated')}</Table.HeaderCell>
            <Table.HeaderCell>
              <span className="visually-hidden">{t('funding.drill')}</span>
            </Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {lines.map((line) => (
            <Table.Row key={line.id}>
              <Table.Cell>
                <Link href={budgetLineHref(line)}>{`${lineCode(line)} ${line.title}`}</Link>
              </Table.Cell>
              <Table.Cell className="num">{i18n.money(line.appropriated)}</Table.Cell>
              <Table.Cell className="num">{i18n.money(line.allocated)}</Table.Cell>
              <Table.Cell>
                <Button
                  variant="tertiary"
                  data-size="sm"
                  aria-expanded={open === line.id}
                  aria-label={t('funding.drillLabel', { group: `${lineCode(line)} ${line.title}` })}
                  onClick={() => onToggle(line.id)}
                >
                  {t('funding.drill')}
                </Button>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {chosen && (
        <AllocationList
          filter={{ budgetLineId: chosen.id }}
          caption={t('funding.drillTitle', { group: `${lineCode(chosen)} ${chosen.title}` })}
        />
      )}
    </>
  );
}

/** A goal's measures with what each was allocated, each opening onto its allocations. */
function GoalMeasures({ planId, goalNumber, year }: { planId: string; goalNumber: number; year: number | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [open, setOpen] = useState<string | null>(null);
  const { data, error, loading, refetch } = useQuery(GoalMeasuresFundingDocument, { variables: { planId, goalNumber } });
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;
  if (!data && loading) return <Loading />;
  const measures = (data?.actionPlan?.measures.edges ?? []).map((e) => e.node).filter((m) => toOre(m.funding.allocated) > 0n);
  if (measures.length === 0) return <Empty>{t('funding.noAllocations')}</Empty>;
  const chosen = measures.find((m) => m.id === open);
  const name = (m: (typeof measures)[number]) => (m.number !== null && m.number !== undefined ? `${m.number}. ${m.title}` : m.title);
  return (
    <>
      <Table zebra data-size="sm">
        <caption>{t('funding.goalMeasures', { goal: String(goalNumber) })}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>{t('funding.MEASURE')}</Table.HeaderCell>
            <Table.HeaderCell className="num">{t('funding.allocated')}</Table.HeaderCell>
            <Table.HeaderCell className="num">{t('funding.disbursed')}</Table.HeaderCell>
            <Table.HeaderCell>
              <span className="visually-hidden">{t('funding.drill')}</span>
            </Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {measures.map((m) => (
            <Table.Row key={m.id}>
              <Table.Cell>
                <Link href={`/measures/${encodeURIComponent(m.id)}`}>{name(m)}</Link>
              </Table.Cell>
              <Table.Cell className="num">{i18n.money(m.funding.allocated)}</Table.Cell>
              <Table.Cell className="num">{i18n.money(m.funding.disbursed)}</Table.Cell>
              <Table.Cell>
                <Button
                  variant="tertiary"
                  data-size="sm"
                  aria-expanded={open === m.id}
                  aria-label={t('funding.drillLabel', { group: name(m) })}
                  onClick={() => setOpen((c) => (c === m.id ? null : m.id))}
                >
                  {t('funding.drill')}
                </Button>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      {year !== null && <Paragraph data-size="sm">{t('funding.goalAllYears')}</Paragraph>}
      {chosen && (
        <AllocationList filter={{ measureId: chosen.id }} caption={t('funding.drillTitle', { group: name(chosen) })} fiscalYear={year} />
      )}
    </>
  );
}
