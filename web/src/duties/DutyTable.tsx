import { Table, Tag, ToggleGroup } from '@digdir/designsystemet-react';
import type { DutyStatus, ResponsibilityRole } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';

const DUTY_STATUSES: readonly DutyStatus[] = ['DUE', 'OVERDUE', 'SUBMITTED'];

/** The colour repeats what the text says: the status is always written out. */
const DUTY_COLOR: Record<DutyStatus, 'info' | 'danger' | 'success'> = { DUE: 'info', OVERDUE: 'danger', SUBMITTED: 'success' };

export interface DutyRow {
  measure: { id: string; number?: number | null; title: string };
  agency: { id: string; name: string };
  role: ResponsibilityRole;
  period: string;
  dueDate: string;
  status: DutyStatus;
  daysOverdue: number;
  report?: { id: string; reportedAt: string } | null;
}

/** Reporting duties as a table: each links to its measure and says its due date, status and days overdue. */
export function DutyTable({ caption, duties, show }: { caption: string; duties: readonly DutyRow[]; show: 'agency' | 'plan' }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Table zebra className="duties-table">
      <caption>{caption}</caption>
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell>{t('duties.measure')}</Table.HeaderCell>
          {show === 'agency' ? (
            <Table.HeaderCell>{t('duties.agency')}</Table.HeaderCell>
          ) : (
            <Table.HeaderCell>{t('measure.reportPeriod')}</Table.HeaderCell>
          )}
          <Table.HeaderCell>{t('duties.role')}</Table.HeaderCell>
          <Table.HeaderCell>{t('duties.dueDate')}</Table.HeaderCell>
          <Table.HeaderCell>{t('duties.status')}</Table.HeaderCell>
          <Table.HeaderCell className="num">{t('duties.daysOverdue')}</Table.HeaderCell>
          <Table.HeaderCell>{t('duties.reportedAt')}</Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {duties.map((d) => (
          <Table.Row key={`${d.measure.id}:${d.agency.id}:${d.period}`}>
            <Table.Cell>
              <Link href={`/measures/${encodeURIComponent(d.measure.id)}`}>
                {d.measure.number !== null && d.measure.number !== undefined ? `${d.measure.number}. ` : ''}
                {d.measure.title}
              </Link>
            </Table.Cell>
            {show === 'agency' ? (
              <Table.Cell>
                <Link href={`/agencies/${encodeURIComponent(d.agency.id)}`}>{d.agency.name}</Link>
              </Table.Cell>
            ) : (
              <Table.Cell>{i18n.period(d.period)}</Table.Cell>
            )}
            <Table.Cell>{t(`responsibility.${d.role}`)}</Table.Cell>
            <Table.Cell>{i18n.date(d.dueDate)}</Table.Cell>
            <Table.Cell>
              <Tag data-size="sm" data-color={DUTY_COLOR[d.status]}>
                {t(`dutyStatus.${d.status}`)}
              </Tag>
            </Table.Cell>
            <Table.Cell className="num">{d.status === 'OVERDUE' ? i18n.number(d.daysOverdue) : '–'}</Table.Cell>
            <Table.Cell>{d.report ? i18n.date(d.report.reportedAt.slice(0, 10)) : '–'}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  );
}

/** All, or one status: the same toggle the plan's measure list has. */
export function DutyStatusFilter({ value, onChange }: { value: DutyStatus | null; onChange: (status: DutyStatus | null) => void }) {
  const { t } = useI18n();
  return (
    <ToggleGroupFilter
      label={t('duties.filterStatus')}
      value={value ?? 'ALL'}
      options={[{ value: 'ALL', label: t('duties.all') }, ...DUTY_STATUSES.map((s) => ({ value: s, label: t(`dutyStatus.${s}`) }))]}
      onChange={(v) => onChange(v === 'ALL' ? null : (v as DutyStatus))}
    />
  );
}

function ToggleGroupFilter({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <ToggleGroup data-size="sm" value={value} onChange={onChange} aria-label={label}>
      {options.map((o) => (
        <ToggleGroup.Item key={o.value} value={o.value}>
          {o.label}
        </ToggleGroup.Item>
      ))}
    </ToggleGroup>
  );
}

export function parseDutyStatus(value: string | null): DutyStatus | null {
  return (DUTY_STATUSES as readonly string[]).includes(value ?? '') ? (value as DutyStatus) : null;
}
