import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Button, Heading, Table } from '@digdir/designsystemet-react';
import { type FormEvent, useState } from 'react';
import { useDraft } from '../forms/draft';
import { atLeastOne, capacityFigures, collect, LIMITS, maxLength, pastDate, requiredText, todayInOslo } from '../forms/rules';
import { FormProblem, useForm } from '../forms/useForm';
import {
  type AssistanceService,
  ReportCapacityDocument,
  ShelterForOperatorDocument,
  ShelterProfileDocument,
  type TargetGroup,
  UpdateOwnShelterDocument,
} from '../graphql';
import { useI18n } from '../i18n/i18n';
import { CheckboxGroup, TextField } from '../ui/fields';
import { SERVICES, TARGET_GROUPS } from '../ui/labels';
import { Loading, QueryError, Success } from '../ui/status';

/** The operator's tools for one shelter: report capacity, update the profile, see recent reports. */
export default function ManageShelter({ shelterId }: { shelterId: string }) {
  const { t } = useI18n();
  const profile = useQuery(ShelterProfileDocument, { variables: { id: shelterId } });
  const operator = useQuery(ShelterForOperatorDocument, { variables: { id: shelterId } });
  if (profile.error) return <QueryError error={profile.error} />;
  const shelter = profile.data?.shelter;
  if (!shelter) return <Loading />;
  return (
    <div className="manage">
      <section>
        <Heading level={4} data-size="2xs">
          {t('shelters.reportCapacity')}
        </Heading>
        <CapacityForm shelterId={shelterId} />
        <Heading level={4} data-size="2xs">
          {t('shelters.recentReports')}
        </Heading>
        {operator.data?.shelter && <RecentReports reports={operator.data.shelter.capacityReports.edges.map((e) => e.node)} />}
      </section>
      <section>
        <Heading level={4} data-size="2xs">
          {t('shelters.update')}
        </Heading>
        {operator.data?.shelter ? (
          <UpdateForm shelter={{ ...shelter, address: operator.data.shelter.address ?? '' }} />
        ) : operator.error ? (
          <QueryError error={operator.error} />
        ) : (
          <Loading />
        )}
      </section>
    </div>
  );
}

function RecentReports({ reports }: { reports: { date: string; capacity: number; occupied?: number | null }[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (reports.length === 0) return <p>{t('shelters.noReport')}</p>;
  return (
    <Table data-size="sm" zebra>
      <Table.Head>
        <Table.Row>
          <Table.HeaderCell>{t('shelters.date')}</Table.HeaderCell>
          <Table.HeaderCell>{t('capacity.capacity')}</Table.HeaderCell>
          <Table.HeaderCell>{t('capacity.occupied')}</Table.HeaderCell>
        </Table.Row>
      </Table.Head>
      <Table.Body>
        {reports.slice(0, 8).map((r) => (
          <Table.Row key={r.date}>
            <Table.Cell>{i18n.date(r.date)}</Table.Cell>
            <Table.Cell className="num">{i18n.number(r.capacity)}</Table.Cell>
            <Table.Cell className="num">{r.occupied === null || r.occupied === undefined ? '–' : i18n.number(r.occupied)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  );
}

type CapacityField = 'date' | 'capacity' | 'occupied';

export function CapacityForm({ shelterId }: { shelterId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [draft, update, clear] = useDraft(`capacity:${shelterId}`, { date: todayInOslo(), capacity: '', occupied: '' });
  const form = useForm<CapacityField>();
  const [report] = useMutation(ReportCapacityDocument, { refetchQueries: [ShelterForOperatorDocument] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const figures = capacityFigures(draft.capacity, draft.occupied);
    const ok = form.check(
      collect<CapacityField>({
        date: pastDate(draft.date, { earliest: LIMITS.earliestReport }),
        capacity: figures.capacity,
        occupied: figures.occupied,
      }),
    );
    if (!ok) return;
    const date = draft.date;
    void form.run(async () => {
      await report({ variables: { input: { shelterId, date, capacity: Number(draft.capacity), occupied: Number(draft.occupied) } } });
      clear();
      return t('shelters.reported', { date: i18n.date(date) });
    });
  };

  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form form-inline">
      {form.done && <Success>{form.done}</Success>}
      <TextField
        label={t('shelters.date')}
        name="date"
        type="date"
        value={draft.date}
        onChange={(date) => update({ date })}
        error={form.fieldError('date')}
        required
      />
      <TextField
        label={t('shelters.capacity')}
        name="capacity"
        inputMode="numeric"
        value={draft.capacity}
        onChange={(capacity) => update({ capacity })}
        error={form.fieldError('capacity')}
        required
      />
      <TextField
        label={t('shelters.occupied')}
        name="occupied"
        inputMode="numeric"
        value={draft.occupied}
        onChange={(occupied) => update({ occupied })}
        error={form.fieldError('occupied')}
        required
      />
      <FormProblem problem={form.problem} fieldsShown={['date', 'capacity', 'occupied']} />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('shelters.reportCapacity')}
      </Button>
    </form>
  );
}

type UpdateField = 'name' | 'municipality' | 'address' | 'targetGroups' | 'services' | 'input';

interface Profile {
  id: string;
  name: string;
  municipality?: string | null;
  address: string;
  targetGroups: readonly TargetGroup[];
  services: readonly AssistanceService[];
  version: number;
}

function UpdateForm({ shelter }: { shelter: Profile }) {
  const { t } = useI18n();
  const client = useApolloClient();
  const initial = {
    name: shelter.name,
    municipality: shelter.municipality ?? '',
    address: shelter.address,
    targetGroups: [...shelter.targetGroups],
    services: [...shelter.services],
    baseVersion: shelter.version,
  };
  const [stored, updateStored, clear, replace, touched] = useDraft(`update-shelter:${shelter.id}`, initial);
  // Follows the shelter as the server has it until the user types (see EditMeasureForm).
  const draft = touched ? stored : initial;
  const update = (patch: Partial<typeof initial>) => (touched ? updateStored(patch) : replace({ ...initial, ...patch }));
  const form = useForm<UpdateField>();
  const [reapplied, setReapplied] = useState(false);
  const [save] = useMutation(UpdateOwnShelterDocument, { refetchQueries: [ShelterForOperatorDocument] });

  const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
  const changes = {
    ...(draft.name.trim() !== shelter.name ? { name: draft.name.trim() } : {}),
    ...(draft.municipality.trim() !== (shelter.municipality ?? '') ? { municipality: draft.municipality.trim() } : {}),
    ...(draft.address.trim() !== shelter.address ? { address: draft.address.trim() } : {}),
    ...(!same(draft.targetGroups, shelter.targetGroups) ? { targetGroups: draft.targetGroups } : {}),
    ...(!same(draft.services, shelter.services) ? { services: draft.services } : {}),
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setReapplied(false);
    const ok = form.check(
      collect<UpdateField>({
        name: requiredText(draft.name, LIMITS.shelterName),
        municipality: maxLength(draft.municipality, LIMITS.municipality),
        address: maxLength(draft.address, LIMITS.address),
        targetGroups: atLeastOne(draft.targetGroups),
        services: atLeastOne(draft.services),
        input: Object.keys(changes).length === 0 ? { key: 'validation.nothingChanged' } : null,
      }),
    );
    if (!ok) return;
    const name = draft.name.trim();
    void form.run(async () => {
      const { data } = await save({ variables: { input: { id: shelter.id, expectedVersion: draft.baseVersion, ...changes } } });
      clear({ ...draft, baseVersion: data?.updateShelter.shelter.version ?? draft.baseVersion + 1 });
      return t('shelters.updated', { name });
    });
  };

  const reloadAndReapply = async () => {
    const { data } = await client.query({ query: ShelterProfileDocument, variables: { id: shelter.id }, fetchPolicy: 'network-only' });
    if (!data?.shelter) return;
    update({ baseVersion: data.shelter.version });
    form.clearFeedback();
    setReapplied(true);
  };

  const nothing = form.errors.input;
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form">
      {form.done && <Success>{form.done}</Success>}
      {reapplied && <Success>{t('errors.reapplied')}</Success>}
      <TextField
        label={t('shelters.name')}
        name="name"
        value={draft.name}
        onChange={(name) => update({ name })}
        error={form.fieldError('name')}
        required
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
      {nothing && typeof nothing !== 'string' && <p className="form-note">{t(nothing.key)}</p>}
      <FormProblem
        problem={form.problem}
        fieldsShown={['name', 'municipality', 'address', 'targetGroups', 'services']}
        onReload={() => void reloadAndReapply()}
      />
      <Button type="submit" disabled={form.submitting}>
        {form.submitting ? t('app.saving') : t('shelters.update')}
      </Button>
    </form>
  );
}
