import { Alert, Button, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { type FormEvent, useState } from 'react';
import { ACT_AS, type LocalRole } from '../auth/config';
import { useI18n } from '../i18n/i18n';
import { SelectField, TextField } from '../ui/fields';

const OTHER = '__other';

/** Local mode: choose a role or an agency (demo operators included) and get a token from the local issuer. */
export function ActAs({
  roles,
  onChoose,
  current,
}: {
  roles: LocalRole[];
  onChoose: (as: string) => Promise<void>;
  current?: string | null;
}) {
  const { t } = useI18n();
  const [choice, setChoice] = useState(current ?? roles[0]?.as ?? 'coordinator');
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [otherError, setOtherError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const as = choice === OTHER ? `agency:${other.trim()}` : choice;
    if (!ACT_AS.test(as)) {
      setOtherError(t('auth.invalidAgency'));
      return;
    }
    setOtherError(undefined);
    setBusy(true);
    setError(null);
    try {
      await onChoose(as);
    } catch (e) {
      setError(t('auth.failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card data-color="neutral" className="act-as">
      <form onSubmit={submit} noValidate>
        <Heading level={2} data-size="sm">
          {t('auth.actAsTitle')}
        </Heading>
        <Paragraph data-size="sm">{t('auth.actAsIntro')}</Paragraph>
        <SelectField
          label={t('auth.role')}
          name="as"
          value={choice}
          onChange={setChoice}
          options={[...roles.map((r) => ({ value: r.as, label: r.label })), { value: OTHER, label: t('auth.otherAgency') }]}
        />
        {choice === OTHER && (
          <TextField
            label={t('auth.otherAgency')}
            description={t('auth.otherAgencyHelp')}
            name="agency"
            value={other}
            onChange={setOther}
            error={otherError}
          />
        )}
        {error && (
          <Alert data-color="danger" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" data-color="accent" disabled={busy}>
          {busy ? t('auth.signingIn') : t('auth.actAs')}
        </Button>
      </form>
    </Card>
  );
}

/** Cloud mode before sign-in: one button to Cognito's hosted UI. */
export function CognitoSignIn({ onSignIn }: { onSignIn: () => Promise<void> }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  return (
    <Card data-color="neutral" className="act-as">
      <Heading level={2} data-size="sm">
        {t('auth.title')}
      </Heading>
      <Paragraph>{t('auth.cognitoIntro')}</Paragraph>
      <Button
        data-color="accent"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onSignIn();
        }}
      >
        {busy ? t('auth.signingIn') : t('auth.signInCognito')}
      </Button>
    </Card>
  );
}
