import { useMutation, useQuery } from '@apollo/client/react';
import { Button } from '@digdir/designsystemet-react';
import type { FormEvent } from 'react';
import { useDraft } from '../forms/draft';
import { collect, required } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { AgencyDirectoryDocument, AssignRoleDocument, type ResponsibilityRole } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { SelectField } from '../ui/fields';
import { ROLES } from '../ui/labels';
import { Success } from '../ui/status';

type Field = 'agencyId' | 'role';

/** The coordinator gives an agency a role on a measure (at most one LEAD: the server answers CONFLICT). */
export default function AssignForm({ measureId }: { measureId: string }) {
  const { t } = useI18n();
  const { data } = useQuery(AgencyDirectoryDocument);
  const [draft, update, clear] = useDraft(`assign:${measureId}`, { agencyId: '', role: 'SHARED' as ResponsibilityRole });
  const form = useForm<Field>();
  const [assign] = useMutation(AssignRoleDocument);
  const agencies = data?.agencies ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form.check(collect<Field>({ agencyId: required(draft.agencyId), role: null }))) return;
    const name = agencies.find((a) => a.id === draft.agencyId)?.name ?? draft.agencyId;
    const role = draft.role;
    void form.run(async () => {
      await assign({ variables: { input: { measureId, agencyId: draft.agencyId, role } } });
      clear();
      return t('measure.assigned', { agency: name, role: t(`responsibility.${role}`).toLocaleLowerCase() });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      <SelectField
        label={t('measure.agency')}
        name="agencyId"
        value={draft.agencyId}
        onChange={(agencyId) => update({ agencyId })}
        options={[{ value: '', label: '' }, ...agencies.map((a) => ({ value: a.id, label: a.name }))]}
        error={form.fieldError('agencyId')}
      />
      <SelectField
        label={t('measure.role')}
        name="role"
        value={draft.role}
        onChange={(role) => update({ role: role as ResponsibilityRole })}
        options={ROLES.map((r) => ({ value: r, label: t(`responsibility.${r}`) }))}
        error={form.fieldError('role')}
      />
      <FormProblem problem={form.problem} fieldsShown={['agencyId', 'role']} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('measure.assign')}
      </Button>
    </form>
  );
}
