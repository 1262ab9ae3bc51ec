import { useMutation, useQuery } from '@apollo/client/react';
import { Button } from '@digdir/designsystemet-react';
import type { FormEvent } from 'react';
import { useDraft } from '../forms/draft';
import { useIdempotencyKey } from '../forms/idempotency';
import { collect, money, parseMoney } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { AllocateFundsDocument, FundingLinesDocument, FundingSummaryDocument, FundingTargetsDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { useApp } from '../session/context';
import { SelectField, TextField } from '../ui/fields';
import { Success } from '../ui/status';

type Field = 'amount' | 'measureId' | 'recipientId' | 'idempotencyKey';

interface Line {
  id: string;
  fiscalYear: number;
  chapter: number;
  post: number;
  title: string;
}

/**
 * A line holder (or the coordinator) allocates from a budget line. Each submission carries one
 * idempotency key, kept across a double click and a retry, so the allocation is written once.
 */
export default function AllocateForm({
  line,
  planId,
  onAllocated,
}: {
  line: Line;
  planId: string;
  onAllocated?: (a: { id: string; label: string }) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { viewer } = useApp();
  const targets = useQuery(FundingTargetsDocument, { variables: { planId } });
  const [draft, setDraft, clear] = useDraft(`allocate:${line.id}`, { amount: '', measureId: '', recipientId: '' });
  const key = useIdempotencyKey();
  const form = useForm<Field>();
  const [allocate] = useMutation(AllocateFundsDocument, { refetchQueries: [FundingSummaryDocument, FundingLinesDocument] });
  // A changed form is another request: it gets a key of its own.
  const update = (patch: Partial<typeof draft>) => {
    key.settle();
    setDraft(patch);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = form.check(
      collect<Field>({
        amount: money(draft.amount, { positive: true }),
        measureId: !draft.measureId && !draft.recipientId ? { key: 'validation.allocationTarget' } : null,
        recipientId: null,
        idempotencyKey: null,
      }),
    );
    if (!ok) return;
    const amount = parseMoney(draft.amount) as string;
    const idempotencyKey = key.current();
    void form.run(async () => {
      const { data } = await allocate({
        variables: {
          input: {
            budgetLineId: line.id,
            amount,
            measureId: draft.measureId || null,
            recipientId: draft.recipientId || null,
            idempotencyKey,
          },
        },
      });
      key.settle();
      clear();
      const allocation = data?.allocateFunds.allocation;
      if (!allocation) return null;
      onAllocated?.({ id: allocation.id, label: i18n.money(allocation.amount) });
      return t('funding.allocatedOk', { amount: i18n.money(allocation.amount), id: allocation.id });
    });
  };

  const measures = targets.data?.actionPlan?.measures.edges.map((e) => e.node) ?? [];
  const agencies = targets.data?.agencies ?? [];
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form" data-holder={viewer.agencyId ?? 'coordinator'}>
      {form.done && <Success>{form.done}</Success>}
      <TextField
        label={t('funding.amount')}
        name="amount"
        inputMode="decimal"
        value={draft.amount}
        onChange={(amount) => update({ amount })}
        error={form.fieldError('amount')}
        required
      />
      <SelectField
        label={t('funding.measure')}
        name="measureId"
        value={draft.measureId}
        onChange={(measureId) => update({ measureId })}
        options={[
          { value: '', label: t('funding.noneChosen') },
          ...measures.map((m) => ({
            value: m.id,
            label: m.number !== null && m.number !== undefined ? `${m.number}. ${m.title}` : m.title,
          })),
        ]}
        error={form.fieldError('measureId')}
      />
      <SelectField
        label={t('funding.recipient')}
        name="recipientId"
        value={draft.recipientId}
        onChange={(recipientId) => update({ recipientId })}
        options={[{ value: '', label: t('funding.noneChosen') }, ...agencies.map((a) => ({ value: a.id, label: a.name }))]}
        error={form.fieldError('recipientId')}
      />
      <FormProblem problem={form.problem} fieldsShown={['amount', 'measureId', 'recipientId']} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('funding.allocate')}
      </Button>
    </form>
  );
}
