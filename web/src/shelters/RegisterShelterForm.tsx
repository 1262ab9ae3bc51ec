import { useMutation } from '@apollo/client/react';
import { Button } from '@digdir/designsystemet-react';
import type { FormEvent } from 'react';
import { useDraft } from '../forms/draft';
import { atLeastOne, collect, LIMITS, maxLength, required, requiredText } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import { type AssistanceService, RegisterOwnShelterDocument, ShelterListDocument, type TargetGroup } from '../graphql';
import { useI18n } from '../i18n/i18n';
import { CheckboxGroup, SelectField, TextField } from '../ui/fields';
import { SERVICES, TARGET_GROUPS } from '../ui/labels';
import { useRegions } from '../ui/regions';
import { Success } from '../ui/status';

type Field = 'name' | 'region' | 'municipality' | 'address' | 'targetGroups' | 'services';
const FIELDS: Field[] = ['name', 'region', 'municipality', 'address', 'targetGroups', 'services'];

/** Staff of an operating agency register a shelter it runs. */
export default function RegisterShelterForm({ operatorId }: { operatorId: string }) {
  const counties = useRegions();
  const { t } = useI18n();
  const [draft, update, clear] = useDraft(`register-shelter:${operatorId}`, {
    name: '',
    region: '',
    municipality: '',
    address: '',
    targetGroups: [] as TargetGroup[],
    services: [] as AssistanceService[],
  });
  const form = useForm<Field>();
  const [register] = useMutation(RegisterOwnShelterDocument, { refetchQueries: [ShelterListDocument] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ok = form.check(
      collect<Field>({
        name: requiredText(draft.name, LIMITS.shelterName),
        region: required(draft.region),
        municipality: maxLength(draft.municipality, LIMITS.municipality),
        address: maxLength(draft.address, LIMITS.address),
        targetGroups: atLeastOne(draft.targetGroups),
        services: atLeastOne(draft.services),
      }),
    );
    if (!ok) return;
    const name = draft.name.trim();
    void form.run(async () => {
      await register({
        variables: {
          input: {
            name,
            operatorId,
            region: draft.region,
            municipality: draft.municipality.trim() || null,
            address: draft.address.trim() || null,
            targetGroups: draft.targetGroups,
            services: draft.services,
          },
        },
      });
      clear();
      return t('shelters.registered', { name });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      <TextField
        label={t('shelters.name')}
        name="name"
        value={draft.name}
        onChange={(name) => update({ name })}
        error={form.fieldError('name')}
        counter={LIMITS.shelterName}
        required
      />
      <SelectField
        label={t('shelters.county')}
        name="region"
        value={draft.region}
        onChange={(region) => update({ region })}
        options={[{ value: '', label: '' }, ...counties.map((c) => ({ value: c, label: c }))]}
        error={form.fieldError('region')}
        description={t('shelters.regionFixed')}
      />
      <TextField
        label={t('shelters.municipality')}
        name="municipality"
        value={draft.municipality}
        onChange={(municipality) => update({ municipality })}
        error={form.fieldError('municipality')}
      />
      <TextField
        label={t('shelters.address')}
        description={t('shelters.addressHelp')}
        name="address"
        value={draft.address}
        onChange={(address) => update({ address })}
        error={form.fieldError('address')}
      />
      <CheckboxGroup
        legend={t('shelters.targetGroups')}
        name="targetGroups"
        values={draft.targetGroups}
        onChange={(targetGroups) => update({ targetGroups })}
        options={TARGET_GROUPS.map((g) => ({ value: g, label: t(`targetGroup.${g}`) }))}
        error={form.fieldError('targetGroups')}
      />
      <CheckboxGroup
        legend={t('shelters.services')}
        name="services"
        values={draft.services}
        onChange={(services) => update({ services })}
        options={SERVICES.map((s) => ({ value: s, label: t(`service.${s}`) }))}
        error={form.fieldError('services')}
      />
      <FormProblem problem={form.problem} fieldsShown={FIELDS} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('shelters.register')}
      </Button>
    </form>
  );
}
