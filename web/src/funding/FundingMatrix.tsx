import { useQuery } from '@apollo/client/react';
import { Button, Paragraph, Table } from '@digdir/designsystemet-react';
import { useId } from 'react';
import { type FundingMatrixRows, FundingMatrixTableDocument } from '../graphql';
import { intlLocale } from '../i18n/format';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';
import { SelectField } from '../ui/fields';
import { Empty, Loading, QueryError } from '../ui/status';
import { budgetLineHref, MATRIX_ROWS } from './shared';

type Metric = 'appropriated' | 'allocated' | 'disbursed' | 'rate';

/**
 * The plan's funding as rows (goal, agency or budget line) by fiscal year: for each year appropriated,
 * allocated, disbursed and the rate disbursed/appropriated. Years are column groups with headers of
 * their own, so a screen reader reads "2013, Utbetalt" with each figure. Goals hold no appropriation,
 * so their rows show allocated and disbursed only, and say so.
 */
export default function FundingMatrix({
  planId,
  rows: kind,
  onRowsChange,
  onDrill,
}: {
  planId: string;
  rows: FundingMatrixRows;
  onRowsChange: (rows: FundingMatrixRows) => void;
  onDrill: (kind: FundingMatrixRows, key: string) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const captionId = useId();
  const { data, error, loading, refetch } = useQuery(FundingMatrixTableDocument, { variables: { planId, rows: kind } });
  const matrix = data?.fundingMatrix;
  const years = matrix?.fiscalYears ?? [];
  const rows = matrix?.rows ?? [];
  const hasAppropriation = rows.some((r) => r.cells.some((c) => c.appropriated !== null && c.appropriated !== undefined));
  const metrics: Metric[] = hasAppropriation ? ['appropriated', 'allocated', 'disbursed', 'rate'] : ['allocated', 'disbursed'];
  const rowsName = t(`funding.${kind}`).toLocaleLowerCase(intlLocale(i18n.locale));
  const caption = t(hasAppropriation ? 'funding.matrixCaption' : 'funding.matrixCaptionGoals', { rows: rowsName });

  const value = (cell: (typeof rows)[number]['cells'][number] | undefined, metric: Metric) => {
    if (!cell) return '–';
    if (metric === 'rate') return cell.rate === null || cell.rate === undefined ? '–' : i18n.percent(cell.rate);
    const amount = cell[metric];
    return amount === null || amount === undefined ? '–' : i18n.money(amount);
  };

  return (
    <>
      <div className="filters">
        <SelectField
          label={t('funding.matrixRows')}
          name="rows"
          value={kind}
          onChange={(value) => onRowsChange((MATRIX_ROWS as string[]).includes(value) ? (value as FundingMatrixRows) : 'GOAL')}
          options={MATRIX_ROWS.map((r) => ({ value: r, label: t(`funding.${r}`) }))}
        />
      </div>
      {error && <QueryError error={error} onRetry={() => void refetch()} />}
      {!data && loading && <Loading />}
      {matrix && rows.length === 0 && <Empty>{t('funding.noData')}</Empty>}
      {rows.length > 0 && (
        <>
          <Paragraph data-size="sm">{hasAppropriation ? t('funding.matrixNote') : t('funding.matrixNoteGoals')}</Paragraph>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
          <section className="table-scroll" aria-labelledby={captionId} tabIndex={0}>
            <Table data-size="sm" className="matrix">
              <caption id={captionId}>{caption}</caption>
              <colgroup>
                <col />
              </colgroup>
              {years.map((y) => (
                <colgroup key={y} span={metrics.length} />
              ))}
              <colgroup>
                <col />
              </colgroup>
              <Table.Head>
                <Table.Row>
                  <Table.HeaderCell rowSpan={2} scope="col">
                    {t(`funding.${kind}`)}
                  </Table.HeaderCell>
                  {years.map((y) => (
                    <Table.HeaderCell key={y} colSpan={metrics.length} scope="colgroup" className="year">
                      {y}
                    </Table.HeaderCell>
                  ))}
                  <Table.HeaderCell rowSpan={2} scope="col">
                    <span className="visually-hidden">{t('funding.drill')}</span>
                  </Table.HeaderCell>
                </Table.Row>
                <Table.Row>
                  {years.flatMap((y) =>
                    metrics.map((m) => (
                      <Table.HeaderCell key={`${y}:${m}`} scope="col" className={m === metrics[0] ? 'num year' : 'num'}>
                        {t(`funding.${m}`)}
                      </Table.HeaderCell>
                    )),
                  )}
                </Table.Row>
              </Table.Head>
              <Table.Body>
                {rows.map((row) => {
                  const lineYear = row.cells[0]?.fiscalYear;
                  return (
                    <Table.Row key={row.key}>
                      <Table.HeaderCell scope="row">
                        {kind === 'BUDGET_LINE' && lineYear ? (
                          <Link href={budgetLineHref({ id: row.key, fiscalYear: lineYear })}>{row.label}</Link>
                        ) : (
                          row.label
                        )}
                      </Table.HeaderCell>
                      {years.flatMap((y) => {
                        const cell = row.cells.find((c) => c.fiscalYear === y);
                        return metrics.map((m) => (
                          <Table.Cell key={`${y}:${m}`} className={m === metrics[0] ? 'num year' : 'num'}>
                            {value(cell, m)}
                          </Table.Cell>
                        ));
                      })}
                      <Table.Cell>
                        <Button
                          variant="tertiary"
                          data-size="sm"
                          aria-label={t('funding.drillLabel', { group: row.label })}
                          onClick={() => onDrill(kind, row.key)}
                        >
                          {t('funding.drill')}
                        </Button>
                      </Table.Cell>
                    </Table.Row>
                  );
                })}
              </Table.Body>
            </Table>
          </section>
        </>
      )}
    </>
  );
}
