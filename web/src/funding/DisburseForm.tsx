import { useMutation } from '@apollo/client/react';
import { Button } from '@digdir/designsystemet-react';
import type { FormEvent } from 'react';
import { useDraft } from '../forms/draft';
import { useIdempotencyKey } from '../forms/idempotency';
import { collect, dateInYear, money, parseMoney, pastDate, required } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { FundingSummaryDocument, RecordDisbursementDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { TextField } from '../ui/fields';
import { Success } from '../ui/status';

type Field = 'allocationId' | 'date' | 'amount' | 'idempotencyKey';

/** Records a payment against an allocation, once per submission (one idempotency key each). */
export default function DisburseForm({ allocationId, fiscalYear }: { allocationId: string; fiscalYear: number | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, setDraft, clear] = useDraft(`disburse:${allocationId || 'any'}`, { allocationId, date: '', amount: '' });
  const key = useIdempotencyKey();
  const form = useForm<Field>();
  const [disburse] = useMutation(RecordDisbursementDocument, { refetchQueries: [FundingSummaryDocument] });
  const update = (patch: Partial<typeof draft>) => {
    key.settle();
    setDraft(patch);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = form.check(
      collect<Field>({
        allocationId: required(draft.allocationId),
        date: fiscalYear !== null ? dateInYear(draft.date, fiscalYear) : pastDate(draft.date),
        amount: money(draft.amount, { positive: true }),
        idempotencyKey: null,
      }),
    );
    if (!ok) return;
    const amount = parseMoney(draft.amount) as string;
    const idempotencyKey = key.current();
    void form.run(async () => {
      const { data } = await disburse({
        variables: { input: { allocationId: draft.allocationId.trim(), date: draft.date, amount, idempotencyKey } },
      });
      key.settle();
      clear({ allocationId: draft.allocationId, date: '', amount: '' });
      const result = data?.recordDisbursement;
      if (!result) return null;
      return t('funding.disbursedOk', {
        amount: i18n.money(result.disbursement.amount),
        id: result.allocation.id,
        total: i18n.money(result.allocation.disbursed),
      });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      <TextField
        label={t('funding.allocationId')}
        description={t('funding.allocationHelp')}
        name="allocationId"
        value={draft.allocationId}
        onChange={(value) => update({ allocationId: value })}
        error={form.fieldError('allocationId')}
        required
      />
      <TextField
        label={t('funding.date')}
        name="date"
        type="date"
        value={draft.date}
        onChange={(date) => update({ date })}
        error={form.fieldError('date')}
        required
      />
      <TextField
        label={t('funding.amount')}
        name="amount"
        inputMode="decimal"
        value={draft.amount}
        onChange={(amount) => update({ amount })}
        error={form.fieldError('amount')}
        required
      />
      <FormProblem problem={form.problem} fieldsShown={['allocationId', 'date', 'amount']} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('funding.disburse')}
      </Button>
    </form>
  );
}
