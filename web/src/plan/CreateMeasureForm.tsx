import { useMutation } from '@apollo/client/react';
import { Button } from '@digdir/designsystemet-react';
import { type FormEvent, useState } from 'react';
import { useDraft } from '../forms/draft';
import { collect, intIn, LIMITS, maxLength, requiredText } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { AddMeasureDocument, type MeasureStatus, PlanDashboardDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { Link } from '../router/router';
import { CheckboxGroup, SelectField, TextField } from '../ui/fields';
import { STATUSES } from '../ui/labels';
import { Success } from '../ui/status';

type Field = 'title' | 'description' | 'number' | 'goalNumbers' | 'status';
const FIELDS: Field[] = ['title', 'description', 'number', 'goalNumbers', 'status'];

/** The coordinator adds a measure to the plan. */
export default function CreateMeasureForm({ planId, goals }: { planId: string; goals: readonly { number: number; title: string }[] }) {
  const { t } = useI18n();
  const [draft, update, clear] = useDraft(`create-measure:${planId}`, {
    title: '',
    description: '',
    number: '',
    goalNumbers: [] as string[],
    status: 'NOT_REPORTED' as MeasureStatus,
  });
  const form = useForm<Field>();
  const [create] = useMutation(AddMeasureDocument, { refetchQueries: [PlanDashboardDocument] });
  const [created, setCreated] = useState<{ id: string; title: string } | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    const ok = form.check(
      collect<Field>({
        title: requiredText(draft.title, LIMITS.measureTitle),
        description: maxLength(draft.description, LIMITS.measureText),
        number: draft.number.trim() ? intIn(draft.number, 1, 35) : null,
        goalNumbers: null,
        status: null,
      }),
    );
    if (!ok) return;
    void form.run(async () => {
      const { data } = await create({
        variables: {
          input: {
            planId,
            title: draft.title.trim(),
            description: draft.description.trim() || null,
            number: draft.number.trim() ? Number(draft.number) : null,
            goalNumbers: draft.goalNumbers.map(Number).sort((a, b) => a - b),
            status: draft.status,
          },
        },
      });
      clear();
      const measure = data?.createMeasure.measure;
      setCreated(measure ? { id: measure.id, title: measure.title } : null);
      return null;
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {created && (
        <Success>
          <Link href={`/measures/${encodeURIComponent(created.id)}`}>{t('plan.created', { title: created.title })}</Link>
        </Success>
      )}
      <TextField
        label={t('measure.titleField')}
        name="title"
        value={draft.title}
        onChange={(title) => update({ title })}
        error={form.fieldError('title')}
        counter={LIMITS.measureTitle}
        required
      />
      <TextField
        label={t('measure.descriptionField')}
        name="description"
        value={draft.description}
        onChange={(description) => update({ description })}
        error={form.fieldError('description')}
        counter={LIMITS.measureText}
        multiline
      />
      <TextField
        label={t('measure.numberField')}
        description={t('measure.numberHelp')}
        name="number"
        inputMode="numeric"
        value={draft.number}
        onChange={(number) => update({ number })}
        error={form.fieldError('number')}
      />
      <CheckboxGroup
        legend={t('measure.goalsField')}
        description={t('measure.goalsHelp')}
        name="goalNumbers"
        values={draft.goalNumbers}
        onChange={(goalNumbers) => update({ goalNumbers })}
        options={goals.map((g) => ({ value: String(g.number), label: `${g.number}. ${g.title}` }))}
        error={form.fieldError('goalNumbers')}
      />
      <SelectField
        label={t('measure.statusField')}
        name="status"
        value={draft.status}
        onChange={(status) => update({ status: status as MeasureStatus })}
        options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        error={form.fieldError('status')}
      />
      <FormProblem problem={form.problem} fieldsShown={FIELDS} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('plan.createMeasure')}
      </Button>
    </form>
  );
}
