import { useQuery } from '@apollo/client/react';
import { Paragraph, Tag } from '@digdir/designsystemet-react';
import { MeasureSourceDocument } from '../graphql';
import { useI18n } from '../i18n/i18n';

/**
 * Where a measure comes from, under its heading: the source document's facts, a public fact, a file's
 * line, a user's entry, or invented demo data, marked so that no one reads it as a fact.
 */
export function MeasureProvenance({ id }: { id: string }) {
  const { t } = useI18n();
  const { data } = useQuery(MeasureSourceDocument, { variables: { id } });
  const provenance = data?.measure?.provenance;
  if (!provenance) return null;
  const invented = provenance.kind === 'DEMO' || provenance.kind === 'SYNTHETIC';
  return (
    <Paragraph data-size="sm" className="provenance">
      <Tag data-size="sm" data-color={invented ? 'warning' : 'neutral'}>
        {t(`provenance.${provenance.kind}`)}
      </Tag>{' '}
      {provenance.reference}
    </Paragraph>
  );
}
