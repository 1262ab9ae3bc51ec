import { useApolloClient, useMutation } from '@apollo/client/react';
import { Button } from '@digdir/designsystemet-react';
import { type FormEvent, useState } from 'react';
import { useDraft } from '../forms/draft';
import { collect, dateUpToYear, money, parseMoney, requiredText } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { toOre } from '../funding/money';
import { BudgetLineDetailDocument, FundingMatrixTableDocument, FundingSummaryDocument, ReviseBudgetLineDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { TextField } from '../ui/fields';
import { Success } from '../ui/status';

type Field = 'appropriated' | 'reason' | 'decidedOn' | 'expectedVersion';
const FIELDS: Field[] = ['appropriated', 'reason', 'decidedOn'];
const REASON_MAX = 500;

interface Line {
  id: string;
  fiscalYear: number;
  version: number;
  appropriated: string;
  allocated: string;
}

/**
 * The line's holder or the coordinator revises its appropriation (the revised national budget in
 * June, say). The form sends the version the line was read at; when someone revised it first
 * (CONFLICT), it offers to load the latest version and keep what was typed. Never below what is
 * already allocated: checked here, and by the server in the same transaction.
 */
export default function ReviseForm({ line }: { line: Line }) {
  const i18n = useI18n();
  const { t } = i18n;
  const client = useApolloClient();
  const initial = { appropriated: '', reason: '', decidedOn: '', baseVersion: line.version };
  const [stored, updateStored, clear, replace, touched] = useDraft(`revise-line:${line.id}`, initial);
  // Until the user types, the form follows the line as the server has it; after, it keeps their work and its version.
  const draft = touched ? stored : initial;
  const update = (patch: Partial<typeof initial>) => (touched ? updateStored(patch) : replace({ ...initial, ...patch }));
  const form = useForm<Field>();
  const [reapplied, setReapplied] = useState(false);
  const [revise] = useMutation(ReviseBudgetLineDocument, { refetchQueries: [FundingSummaryDocument, FundingMatrixTableDocument] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setReapplied(false);
    const parsed = parseMoney(draft.appropriated);
    const below = parsed !== null && toOre(parsed) < toOre(line.allocated);
    const ok = form.check(
      collect<Field>({
        appropriated:
          money(draft.appropriated) ??
          (below ? { key: 'validation.belowAllocated', params: { allocated: i18n.money(line.allocated) } } : null),
        reason: requiredText(draft.reason, REASON_MAX),
        decidedOn: dateUpToYear(draft.decidedOn, line.fiscalYear),
        expectedVersion: null,
      }),
    );
    if (!ok) return;
    void form.run(async () => {
      const { data } = await revise({
        variables: {
          input: {
            id: line.id,
            appropriated: parsed as string,
            reason: draft.reason.trim(),
            decidedOn: draft.decidedOn,
            expectedVersion: draft.baseVersion,
          },
        },
      });
      const revised = data?.reviseBudgetLine.budgetLine;
      clear({ ...initial, baseVersion: revised?.version ?? draft.baseVersion + 1 });
      return revised ? t('budgetLine.revised', { amount: i18n.money(revised.appropriated) }) : null;
    });
  };

  /** After a CONFLICT: read the line as it now is, and base the kept revision on its version. */
  const reloadAndReapply = async () => {
    const { data } = await client.query({
      query: BudgetLineDetailDocument,
      variables: { fiscalYear: line.fiscalYear },
      fetchPolicy: 'network-only',
    });
    const current = data?.budgetLines.find((l) => l.id === line.id);
    if (!current) return;
    update({ baseVersion: current.version });
    form.clearFeedback();
    setReapplied(true);
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      {reapplied && <Success>{t('errors.reapplied')}</Success>}
      <TextField
        label={t('budgetLine.newAppropriation')}
        description={t('budgetLine.newAppropriationHelp', {
          current: i18n.money(line.appropriated),
          allocated: i18n.money(line.allocated),
        })}
        name="appropriated"
        inputMode="decimal"
        value={draft.appropriated}
        onChange={(appropriated) => update({ appropriated })}
        error={form.fieldError('appropriated')}
        required
      />
      <TextField
        label={t('budgetLine.reason')}
        name="reason"
        multiline
        counter={REASON_MAX}
        value={draft.reason}
        onChange={(reason) => update({ reason })}
        error={form.fieldError('reason')}
        required
      />
      <TextField
        label={t('budgetLine.decidedOn')}
        description={t('budgetLine.decidedOnHelp', { year: String(line.fiscalYear) })}
        name="decidedOn"
        type="date"
        value={draft.decidedOn}
        onChange={(decidedOn) => update({ decidedOn })}
        error={form.fieldError('decidedOn')}
        required
      />
      <FormProblem problem={form.problem} fieldsShown={FIELDS} onReload={() => void reloadAndReapply()} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('budgetLine.reviseButton')}
      </Button>
    </form>
  );
}
