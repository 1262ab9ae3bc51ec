import { useMutation } from '@apollo/client/react';
import { Button, Paragraph } from '@digdir/designsystemet-react';
import type { FormEvent } from 'react';
import { useDraft } from '../forms/draft';
import { useIdempotencyKey } from '../forms/idempotency';
import { collect, dateInYear, money, parseMoney } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { FundingDisbursementsDocument, FundingSummaryDocument, RecordDisbursementDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { TextField } from '../ui/fields';
import { Success } from '../ui/status';
import { subtractMoney, toOre } from './money';

type Field = 'allocationId' | 'date' | 'amount' | 'idempotencyKey';

export interface DisbursableAllocation {
  id: string;
  /** The allocation in words: line, target and amount. */
  label: string;
  fiscalYear: number;
  amount: string;
  disbursed: string;
}

/**
 * Records a payment against an allocation chosen from a list, once per submission (one idempotency
 * key each). The date must lie in the line's fiscal year and the amount within what is not yet paid.
 */
export default function DisburseForm({ allocation }: { allocation: DisbursableAllocation }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, setDraft, clear] = useDraft(`disburse:${allocation.id}`, { date: '', amount: '' });
  const key = useIdempotencyKey();
  const form = useForm<Field>();
  const [disburse] = useMutation(RecordDisbursementDocument, { refetchQueries: [FundingSummaryDocument, FundingDisbursementsDocument] });
  const remaining = subtractMoney(allocation.amount, allocation.disbursed);
  const update = (patch: Partial<typeof draft>) => {
    key.settle();
    setDraft(patch);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseMoney(draft.amount);
    const overRemaining = parsed !== null && toOre(parsed) > toOre(remaining);
    const ok = form.check(
      collect<Field>({
        allocationId: null,
        date: dateInYear(draft.date, allocation.fiscalYear),
        amount:
          money(draft.amount, { positive: true }) ??
          (overRemaining ? { key: 'validation.overRemaining', params: { remaining: i18n.money(remaining) } } : null),
        idempotencyKey: null,
      }),
    );
    if (!ok) return;
    const amount = parsed as string;
    const idempotencyKey = key.current();
    void form.run(async () => {
      const { data } = await disburse({
        variables: { input: { allocationId: allocation.id, date: draft.date, amount, idempotencyKey } },
      });
      key.settle();
      clear();
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
      <Paragraph data-size="sm">
        {t('funding.disburseAgainst', { allocation: allocation.label, remaining: i18n.money(remaining) })}
      </Paragraph>
      <TextField
        label={t('funding.date')}
        description={t('funding.dateHelp', { year: String(allocation.fiscalYear) })}
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
      <FormProblem problem={form.problem} fieldsShown={['date', 'amount']} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('funding.disburse')}
      </Button>
    </form>
  );
}
