import { Alert, Button, Paragraph } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { authenticatedFetch } from '../apollo/client';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/i18n';
import { useApp } from '../session/context';
import { SelectField } from '../ui/fields';
import { csvExportPath, ExportError, fetchExport, saveBlob } from './exportFile';

export type CsvDataset = 'budget-lines' | 'allocations' | 'disbursements' | 'funding-summary' | 'capacity-timeline';

export interface CsvExport {
  dataset: CsvDataset;
  /** The page's current filters, sent as query parameters. */
  params: Record<string, string | number | null | undefined>;
}

type Dialect = 'rfc4180' | 'excel-nb';

const failureKey = {
  unauthenticated: 'exports.unauthenticated',
  forbidden: 'exports.forbidden',
  badRequest: 'exports.badRequest',
  tooLarge: 'exports.tooLarge',
  unavailable: 'exports.unavailable',
  server: 'exports.server',
  network: 'exports.network',
} as const satisfies Record<string, MessageKey>;

/**
 * Download buttons for CSV exports (with the page's filters, standard CSV or "Excel (norsk)") and,
 * given a plan, its IATI activity file. Each download is fetched with the session's token and saved
 * under the server's file name; a refusal is said in words, never as a silent failure.
 */
export default function ExportButtons({ csv, iatiPlanId }: { csv: readonly CsvExport[]; iatiPlanId?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { session } = useApp();
  const [dialect, setDialect] = useState<Dialect>('rfc4180');
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: true; fileName: string } | { ok: false; error: ExportError } | null>(null);

  const download = async (name: string, path: string, fallbackName: string) => {
    setBusy(name);
    setOutcome(null);
    try {
      const { blob, fileName } = await fetchExport(authenticatedFetch(session), path, fallbackName);
      saveBlob(blob, fileName);
      setOutcome({ ok: true, fileName });
    } catch (error) {
      setOutcome({ ok: false, error: error instanceof ExportError ? error : new ExportError('network', null) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="exports">
      {csv.length > 0 && (
        <SelectField
          label={t('exports.dialect')}
          name="dialect"
          value={dialect}
          width="auto"
          onChange={(value) => setDialect(value === 'excel-nb' ? 'excel-nb' : 'rfc4180')}
          options={[
            { value: 'rfc4180', label: t('exports.standard') },
            { value: 'excel-nb', label: t('exports.excelNb') },
          ]}
        />
      )}
      <div className="export-buttons">
        {csv.map(({ dataset, params }) => (
          <Button
            key={dataset}
            variant="secondary"
            data-size="sm"
            disabled={busy !== null}
            aria-busy={busy === dataset || undefined}
            onClick={() => void download(dataset, csvExportPath(dataset, params, dialect), `${dataset}.csv`)}
          >
            {t('exports.csvButton', { name: t(`exports.${dataset}`) })}
          </Button>
        ))}
        {iatiPlanId && (
          <Button
            variant="secondary"
            data-size="sm"
            disabled={busy !== null}
            aria-busy={busy === 'iati' || undefined}
            onClick={() =>
              void download('iati', `/exports/iati-activities/${encodeURIComponent(iatiPlanId)}.xml`, `iati-activities-${iatiPlanId}.xml`)
            }
          >
            {t('exports.iatiButton')}
          </Button>
        )}
      </div>
      <Paragraph data-size="sm">{busy ? t('exports.downloading') : t('exports.note')}</Paragraph>
      {outcome?.ok && (
        <Alert data-color="success" role="status">
          {t('exports.saved', { file: outcome.fileName })}
        </Alert>
      )}
      {outcome && !outcome.ok && (
        <Alert data-color={outcome.error.failure === 'forbidden' ? 'warning' : 'danger'} role="alert">
          <Paragraph>{t(failureKey[outcome.error.failure], { status: String(outcome.error.status ?? '') })}</Paragraph>
          {outcome.error.detail && <Paragraph data-size="sm">{outcome.error.detail}</Paragraph>}
        </Alert>
      )}
    </div>
  );
}
