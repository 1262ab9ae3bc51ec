import { useMutation } from '@apollo/client/react';
import { Button } from '@digdir/designsystemet-react';
import type { FormEvent } from 'react';
import { useDraft } from '../forms/draft';
import { collect, intIn, LIMITS, period, requiredText } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { MeasurePageDocument, type MeasureStatus, SubmitStatusReportDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { SelectField, TextField } from '../ui/fields';
import { REPORTED_STATUSES } from '../ui/labels';
import { Success } from '../ui/status';

type Field = 'period' | 'status' | 'progressPercent' | 'summary';
const FIELDS: Field[] = ['period', 'status', 'progressPercent', 'summary'];

/** The coordinator, or an agency holding LEAD or SHARED, reports progress for a period. */
export default function ReportForm({ measureId, currentStatus }: { measureId: string; currentStatus: MeasureStatus }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, update, clear] = useDraft(`report:${measureId}`, {
    period: '',
    status: currentStatus,
    progressPercent: '',
    summary: '',
  });
  const form = useForm<Field>();
  const [submitReport] = useMutation(SubmitStatusReportDocument, { refetchQueries: [MeasurePageDocument] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = form.check(
      collect<Field>({
        period: period(draft.period),
        status: draft.status === 'NOT_REPORTED' ? { key: 'validation.required' } : null,
        progressPercent: intIn(draft.progressPercent, 0, 100),
        summary: requiredText(draft.summary, LIMITS.measureText),
      }),
    );
    if (!ok) return;
    const label = draft.period.trim();
    void form.run(async () => {
      await submitReport({
        variables: {
          input: {
            measureId,
            period: label,
            status: draft.status,
            progressPercent: Number(draft.progressPercent),
            summary: draft.summary.trim(),
          },
        },
      });
      clear();
      return t('measure.reportSent', { period: i18n.period(label) });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      <TextField
        label={t('measure.reportPeriod')}
        description={t('validation.period')}
        name="period"
        value={draft.period}
        onChange={(value) => update({ period: value.toUpperCase() })}
        error={form.fieldError('period')}
        required
      />
      <SelectField
        label={t('measure.reportStatus')}
        name="status"
        value={draft.status}
        onChange={(status) => update({ status: status as MeasureStatus })}
        options={[
          ...(draft.status === 'NOT_REPORTED' ? [{ value: 'NOT_REPORTED', label: t('measure.chooseStatus') }] : []),
          ...REPORTED_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
        ]}
        error={form.fieldError('status')}
      />
      <TextField
        label={t('measure.percentField')}
        name="progressPercent"
        inputMode="numeric"
        value={draft.progressPercent}
        onChange={(progressPercent) => update({ progressPercent })}
        error={form.fieldError('progressPercent')}
        required
      />
      <TextField
        label={t('measure.reportSummary')}
        name="summary"
        value={draft.summary}
        onChange={(summary) => update({ summary })}
        error={form.fieldError('summary')}
        counter={LIMITS.measureText}
        multiline
        required
      />
      <FormProblem problem={form.problem} fieldsShown={FIELDS} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('measure.submitReport')}
      </Button>
    </form>
  );
}
