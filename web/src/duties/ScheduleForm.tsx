import { useMutation } from '@apollo/client/react';
import { Button, Fieldset, Paragraph } from '@digdir/designsystemet-react';
import { type FormEvent, useState } from 'react';
import { isDate, type Problem, period as periodRule } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { ScheduleReportingDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { TextField } from '../ui/fields';
import { Success } from '../ui/status';

interface Row {
  period: string;
  dueDate: string;
}

const END: Record<string, string> = { '': '12-31', H1: '06-30', H2: '12-31', Q1: '03-31', Q2: '06-30', Q3: '09-30', Q4: '12-31' };

/** The last day of "2012", "2012-H1" or "2012-Q3"; null when it is none of these. */
export function periodEnd(label: string): string | null {
  const m = /^(\d{4})(?:-(H[12]|Q[1-4]))?$/.exec(label.trim());
  return m ? `${m[1]}-${END[m[2] ?? '']}` : null;
}

/** The checks the server makes of each row (its own names them `periods[i].period` and `periods[i].dueDate`). */
export function checkSchedule(rows: readonly Row[], startYear: number, endYear: number): Record<string, Problem> {
  const out: Record<string, Problem> = {};
  rows.forEach((row, i) => {
    const p = periodRule(row.period, startYear, endYear);
    if (p) out[`periods[${i}].period`] = p;
    if (!row.dueDate.trim()) out[`periods[${i}].dueDate`] = { key: 'validation.required' };
    else if (!isDate(row.dueDate.trim())) out[`periods[${i}].dueDate`] = { key: 'validation.date' };
    else if (!p && row.dueDate.trim() < (periodEnd(row.period) ?? '')) out[`periods[${i}].dueDate`] = { key: 'duties.dueBeforeEnd' };
  });
  return out;
}

/** The coordinator sets the plan's reporting periods and their due dates, at the version read. */
export default function ScheduleForm({
  plan,
}: {
  plan: { id: string; version: number; period: { start: string; end: string }; reportingPeriods: readonly Row[] };
}) {
  const { t } = useI18n();
  const [rows, setRows] = useState<Row[]>(() => plan.reportingPeriods.map((p) => ({ period: p.period, dueDate: p.dueDate })));
  const form = useForm<string>();
  const [save] = useMutation(ScheduleReportingDocument);
  const names = rows.flatMap((_, i) => [`periods[${i}].period`, `periods[${i}].dueDate`]);

  const change = (i: number, patch: Partial<Row>) => setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = form.check(checkSchedule(rows, Number(plan.period.start.slice(0, 4)), Number(plan.period.end.slice(0, 4))));
    if (!ok) return;
    void form.run(async () => {
      const result = await save({
        variables: {
          input: {
            planId: plan.id,
            expectedVersion: plan.version,
            periods: rows.map((r) => ({ period: r.period.trim(), dueDate: r.dueDate.trim() })),
          },
        },
      });
      return t('duties.scheduleSaved', { count: result.data?.setReportingSchedule.plan.reportingPeriods.length ?? rows.length });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      <Paragraph data-size="sm">{t('validation.period')}</Paragraph>
      {rows.map((row, i) => (
        // Rows have no identity but their place; a removed row shifts the ones after it, as the server numbers them.
        // biome-ignore lint/suspicious/noArrayIndexKey: the row's place is what the server's field names refer to
        <Fieldset key={i} className="schedule-row">
          <Fieldset.Legend className="visually-hidden">{t('duties.schedulePeriod', { n: i + 1 })}</Fieldset.Legend>
          <TextField
            label={t('duties.schedulePeriod', { n: i + 1 })}
            name={`periods[${i}].period`}
            value={row.period}
            onChange={(value) => change(i, { period: value.toUpperCase() })}
            error={form.fieldError(`periods[${i}].period`)}
            required
          />
          <TextField
            label={t('duties.scheduleDue', { n: i + 1 })}
            type="date"
            name={`periods[${i}].dueDate`}
            value={row.dueDate}
            onChange={(dueDate) => change(i, { dueDate })}
            error={form.fieldError(`periods[${i}].dueDate`)}
            required
          />
          <Button
            type="button"
            variant="tertiary"
            data-size="sm"
            data-color="danger"
            disabled={rows.length === 1}
            onClick={() => setRows((all) => all.filter((_, j) => j !== i))}
          >
            {t('duties.removePeriod', { n: i + 1 })}
          </Button>
        </Fieldset>
      ))}
      <Button type="button" variant="secondary" data-size="sm" onClick={() => setRows((all) => [...all, { period: '', dueDate: '' }])}>
        {t('duties.addPeriod')}
      </Button>
      <FormProblem problem={form.problem} fieldsShown={names} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('duties.saveSchedule')}
      </Button>
    </form>
  );
}
