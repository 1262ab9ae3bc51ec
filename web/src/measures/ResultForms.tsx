import { useMutation } from '@apollo/client/react';
import { Button } from '@digdir/designsystemet-react';
import { type FormEvent, useState } from 'react';
import { collect, isDate, type Problem, pastDate, period, required, requiredText, todayInOslo } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import {
  IndicatorDefineDocument,
  type IndicatorDirection,
  IndicatorRecordDocument,
  MilestoneAddDocument,
  MilestoneDoneDocument,
  MilestoneEditDocument,
} from '../graphql';
import { useI18n } from '../i18n/i18n';
import { limits } from '../limits';
import { SelectField, TextField } from '../ui/fields';
import { Success } from '../ui/status';

/** The server's limits for milestones and indicators (functions/plans/calendar.resolvers.ts). */
// The server's own limits (schema/limits.json, generated into the client package): the forms refuse what it would.
const { indicatorFigureMax: FIGURE_MAX } = limits;

/** A figure as a Norwegian or English reader types it ("12,5", "1 250", "-3.75"); null when it is none. */
export function parseFigure(value: string): number | null {
  const compact = value.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(compact)) return null;
  const n = Number(compact);
  return Number.isFinite(n) ? n : null;
}

function figure(value: string): Problem | null {
  if (required(value)) return { key: 'validation.required' };
  const n = parseFigure(value);
  if (n === null) return { key: 'results.number' };
  return Math.abs(n) > FIGURE_MAX ? { key: 'validation.range', params: { min: -FIGURE_MAX, max: FIGURE_MAX } } : null;
}

function day(value: string): Problem | null {
  if (required(value)) return { key: 'validation.required' };
  return isDate(value.trim()) ? null : { key: 'validation.date' };
}

type MilestoneField = 'title' | 'dueDate';

/** Adds a milestone to a measure, or (given one) changes its title and due date at the version read. */
export function MilestoneForm({
  measureId,
  milestone,
  onDone,
}: {
  measureId: string;
  milestone?: { id: string; title: string; dueDate: string; version: number };
  onDone?: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ title: milestone?.title ?? '', dueDate: milestone?.dueDate ?? '' });
  const form = useForm<MilestoneField>();
  const [add] = useMutation(MilestoneAddDocument);
  const [edit] = useMutation(MilestoneEditDocument);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = form.check(
      collect<MilestoneField>({ title: requiredText(draft.title, limits.milestoneTitle), dueDate: day(draft.dueDate) }),
    );
    if (!ok) return;
    const title = draft.title.trim();
    void form.run(async () => {
      if (milestone) {
        await edit({
          variables: { input: { id: milestone.id, expectedVersion: milestone.version, title, dueDate: draft.dueDate.trim() } },
        });
        onDone?.();
        return t('results.updated', { title });
      }
      await add({ variables: { input: { measureId, title, dueDate: draft.dueDate.trim() } } });
      setDraft({ title: '', dueDate: '' });
      return t('results.added', { title });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      <TextField
        label={t('results.titleField')}
        name="title"
        value={draft.title}
        onChange={(title) => setDraft((d) => ({ ...d, title }))}
        error={form.fieldError('title')}
        counter={limits.milestoneTitle}
        required
      />
      <TextField
        label={t('results.dueField')}
        type="date"
        name="dueDate"
        value={draft.dueDate}
        onChange={(dueDate) => setDraft((d) => ({ ...d, dueDate }))}
        error={form.fieldError('dueDate')}
        required
      />
      <FormProblem problem={form.problem} fieldsShown={['title', 'dueDate']} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : milestone ? t('app.save') : t('results.add')}
      </Button>
    </form>
  );
}

/** Marks a milestone done on a day, today by default. */
export function CompleteForm({ milestone, onDone }: { milestone: { id: string; title: string }; onDone?: () => void }) {
  const { t } = useI18n();
  const [doneOn, setDoneOn] = useState(todayInOslo());
  const form = useForm<'doneOn'>();
  const [complete] = useMutation(MilestoneDoneDocument);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.check(collect<'doneOn'>({ doneOn: pastDate(doneOn.trim()) }))) return;
    void form.run(async () => {
      await complete({ variables: { input: { id: milestone.id, doneOn: doneOn.trim() } } });
      onDone?.();
      return t('results.completed', { title: milestone.title });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      <TextField
        label={t('results.doneField')}
        type="date"
        name="doneOn"
        value={doneOn}
        onChange={setDoneOn}
        error={form.fieldError('doneOn')}
        required
      />
      <FormProblem problem={form.problem} fieldsShown={['doneOn']} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('results.complete')}
      </Button>
    </form>
  );
}

type IndicatorField = 'name' | 'unit' | 'baseline' | 'target' | 'direction';
const INDICATOR_FIELDS: IndicatorField[] = ['name', 'unit', 'baseline', 'target', 'direction'];

/** Defines an indicator: what is measured, its unit, baseline, target and direction. */
export function IndicatorForm({ measureId }: { measureId: string }) {
  const { t } = useI18n();
  const empty = { name: '', unit: '', baseline: '', target: '', direction: 'INCREASE' as IndicatorDirection };
  const [draft, setDraft] = useState(empty);
  const form = useForm<IndicatorField>();
  const [define] = useMutation(IndicatorDefineDocument);
  const set = (patch: Partial<typeof empty>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = form.check(
      collect<IndicatorField>({
        name: requiredText(draft.name, limits.indicatorName),
        unit: requiredText(draft.unit, limits.indicatorUnit),
        baseline: figure(draft.baseline),
        target: figure(draft.target),
        direction: null,
      }),
    );
    if (!ok) return;
    const name = draft.name.trim();
    void form.run(async () => {
      await define({
        variables: {
          input: {
            measureId,
            name,
            unit: draft.unit.trim(),
            baseline: parseFigure(draft.baseline) ?? 0,
            target: parseFigure(draft.target) ?? 0,
            direction: draft.direction,
          },
        },
      });
      setDraft(empty);
      return t('results.defined', { name });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      <TextField
        label={t('results.nameField')}
        name="name"
        value={draft.name}
        onChange={(name) => set({ name })}
        error={form.fieldError('name')}
        counter={limits.indicatorName}
        required
      />
      <TextField
        label={t('results.unitField')}
        name="unit"
        value={draft.unit}
        onChange={(unit) => set({ unit })}
        error={form.fieldError('unit')}
        required
      />
      <TextField
        label={t('results.baselineField')}
        name="baseline"
        inputMode="decimal"
        value={draft.baseline}
        onChange={(baseline) => set({ baseline })}
        error={form.fieldError('baseline')}
        required
      />
      <TextField
        label={t('results.targetField')}
        name="target"
        inputMode="decimal"
        value={draft.target}
        onChange={(target) => set({ target })}
        error={form.fieldError('target')}
        required
      />
      <SelectField
        label={t('results.directionField')}
        name="direction"
        value={draft.direction}
        onChange={(direction) => set({ direction: direction as IndicatorDirection })}
        options={(['INCREASE', 'DECREASE'] as const).map((d) => ({ value: d, label: t(`direction.${d}`) }))}
        error={form.fieldError('direction')}
      />
      <FormProblem problem={form.problem} fieldsShown={INDICATOR_FIELDS} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('results.define')}
      </Button>
    </form>
  );
}

type ValueField = 'period' | 'value' | 'comment';

/** Records an indicator's value for a period; a second value for the same period replaces the first. */
export function ValueForm({ indicatorId }: { indicatorId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, setDraft] = useState({ period: '', value: '', comment: '' });
  const form = useForm<ValueField>();
  const [record] = useMutation(IndicatorRecordDocument);
  const set = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = form.check(
      collect<ValueField>({
        // The form here; the plan's own years are the server's to judge (a demo plan has others).
        period: period(draft.period, 1900, 2999),
        value: figure(draft.value),
        comment:
          draft.comment.trim().length > limits.indicatorComment
            ? { key: 'validation.maxLength', params: { max: limits.indicatorComment, length: draft.comment.trim().length } }
            : null,
      }),
    );
    if (!ok) return;
    const label = draft.period.trim();
    void form.run(async () => {
      await record({
        variables: {
          input: {
            indicatorId,
            period: label,
            value: parseFigure(draft.value) ?? 0,
            ...(draft.comment.trim() ? { comment: draft.comment.trim() } : {}),
          },
        },
      });
      setDraft({ period: '', value: '', comment: '' });
      return t('results.recorded', { period: i18n.period(label) });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      <TextField
        label={t('results.period')}
        description={t('validation.period')}
        name="period"
        value={draft.period}
        onChange={(value) => set({ period: value.toUpperCase() })}
        error={form.fieldError('period')}
        required
      />
      <TextField
        label={t('results.valueField')}
        name="value"
        inputMode="decimal"
        value={draft.value}
        onChange={(value) => set({ value })}
        error={form.fieldError('value')}
        required
      />
      <TextField
        label={t('results.commentField')}
        name="comment"
        value={draft.comment}
        onChange={(comment) => set({ comment })}
        error={form.fieldError('comment')}
        counter={limits.indicatorComment}
        multiline
      />
      <FormProblem problem={form.problem} fieldsShown={['period', 'value', 'comment']} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('results.record')}
      </Button>
    </form>
  );
}
