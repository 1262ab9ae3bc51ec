import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Button } from '@digdir/designsystemet-react';
import { type FormEvent, useState } from 'react';
import { useDraft } from '../forms/draft';
import { collect, LIMITS, maxLength, requiredText } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { EditMeasureDocument, MeasurePageDocument, type MeasureStatus, PlanGoalsDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { CheckboxGroup, SelectField, TextField } from '../ui/fields';
import { REPORTED_STATUSES, STATUSES } from '../ui/labels';
import { Success } from '../ui/status';

interface Measure {
  id: string;
  title: string;
  description?: string | null;
  status: MeasureStatus;
  version: number;
  goals: readonly { number: number }[];
}

type Field = 'title' | 'description' | 'status' | 'goalNumbers' | 'input';
const FIELDS: Field[] = ['title', 'description', 'status', 'goalNumbers'];

const goalKey = (numbers: readonly (number | string)[]) =>
  [...numbers]
    .map(Number)
    .sort((a, b) => a - b)
    .join(',');

/**
 * The coordinator edits a measure. The form remembers the version it was opened at and sends it as
 * `expectedVersion`; when someone else saved first (CONFLICT), it loads the latest version and keeps
 * what was typed, so the change can be reviewed and saved again.
 */
export default function EditMeasureForm({ measure, planId }: { measure: Measure; planId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const client = useApolloClient();
  const initial = {
    title: measure.title,
    description: measure.description ?? '',
    status: measure.status,
    goalNumbers: measure.goals.map((g) => String(g.number)),
    baseVersion: measure.version,
  };
  const [stored, updateStored, clear, replace, touched] = useDraft(`edit-measure:${measure.id}`, initial);
  // Until the user types, the form follows the measure as the server has it (a role assigned on this
  // page moves its version); once they have typed, it keeps their work and the version it began from.
  const draft = touched ? stored : initial;
  const update = (patch: Partial<typeof initial>) => (touched ? updateStored(patch) : replace({ ...initial, ...patch }));
  const form = useForm<Field>();
  const [reapplied, setReapplied] = useState(false);
  const { data: goalsData } = useQuery(PlanGoalsDocument, { variables: { planId } });
  const [save] = useMutation(EditMeasureDocument);

  const changes = {
    ...(draft.title.trim() !== measure.title ? { title: draft.title.trim() } : {}),
    ...(draft.description.trim() !== (measure.description ?? '') ? { description: draft.description.trim() } : {}),
    ...(draft.status !== measure.status ? { status: draft.status } : {}),
    ...(goalKey(draft.goalNumbers) !== goalKey(measure.goals.map((g) => g.number))
      ? { goalNumbers: draft.goalNumbers.map(Number).sort((a, b) => a - b) }
      : {}),
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setReapplied(false);
    const ok = form.check(
      collect<Field>({
        title: requiredText(draft.title, LIMITS.measureTitle),
        description: maxLength(draft.description, LIMITS.measureText),
        status: null,
        goalNumbers: null,
        input: Object.keys(changes).length === 0 ? { key: 'validation.nothingChanged' } : null,
      }),
    );
    if (!ok) return;
    void form.run(async () => {
      const { data } = await save({ variables: { input: { id: measure.id, expectedVersion: draft.baseVersion, ...changes } } });
      const version = data?.updateMeasure.measure.version ?? draft.baseVersion + 1;
      // The next edit starts from what was just written, at its version.
      clear({ ...draft, baseVersion: version });
      return t('measure.updated', { version });
    });
  };

  /** After a CONFLICT: read the measure as it now is, and base the kept changes on its version. */
  const reloadAndReapply = async () => {
    const { data } = await client.query({ query: MeasurePageDocument, variables: { id: measure.id }, fetchPolicy: 'network-only' });
    const current = data?.measure;
    if (!current) return;
    update({ baseVersion: current.version });
    form.clearFeedback();
    setReapplied(true);
  };

  const goals = goalsData?.actionPlan?.goals ?? [];
  const nothing = form.errors.input;
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      {reapplied && <Success>{t('errors.reapplied')}</Success>}
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
      <SelectField
        label={t('measure.statusField')}
        name="status"
        value={draft.status}
        onChange={(status) => update({ status: status as MeasureStatus })}
        options={(measure.status === 'NOT_REPORTED' ? STATUSES : REPORTED_STATUSES).map((s) => ({ value: s, label: t(`status.${s}`) }))}
        error={form.fieldError('status')}
      />
      {goals.length > 0 && (
        <CheckboxGroup
          legend={t('measure.goalsField')}
          description={t('measure.goalsHelp')}
          name="goalNumbers"
          values={draft.goalNumbers}
          onChange={(goalNumbers) => update({ goalNumbers })}
          options={goals.map((g) => ({ value: String(g.number), label: `${g.number}. ${g.title}` }))}
          error={form.fieldError('goalNumbers')}
        />
      )}
      {nothing && typeof nothing !== 'string' && <p className="form-note">{t(nothing.key)}</p>}
      <FormProblem problem={form.problem} fieldsShown={FIELDS} onReload={() => void reloadAndReapply()} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('app.save')}
      </Button>
    </form>
  );
}
