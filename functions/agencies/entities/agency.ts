import { Fields, type Item, putNew, type TxItem } from '../../shared/entity.js';
import { ConflictError } from '../../shared/errors.js';
import { type AgencyRecord, agencyKinds } from '../agencies.model.js';

/** An agency of the directory (`AGENCY#<id>` / `AGENCY`), listed by name in gsi2 under `AGENCIES`. */
export const agencyEntity = {
  table: 'responsibilities',
  key: (agencyId: string) => ({ pk: `AGENCY#${agencyId}`, sk: 'AGENCY' }),
  directoryPk: 'AGENCIES',

  toItem(a: AgencyRecord): Item {
    return {
      ...agencyEntity.key(a.id),
      gsi2pk: agencyEntity.directoryPk,
      gsi2sk: `${a.name}#${a.id}`,
      id: a.id,
      name: a.name,
      kind: a.kind,
      ...(a.parentId !== undefined ? { parentId: a.parentId } : {}),
      ...(a.source !== undefined ? { source: a.source } : {}),
    };
  },

  parse(item: Item): AgencyRecord {
    const f = new Fields(item, 'agency');
    const parentId = f.optionalString('parentId');
    const source = f.optionalString('source');
    return {
      id: f.string('id'),
      name: f.string('name'),
      kind: f.oneOf('kind', agencyKinds),
      ...(parentId !== undefined ? { parentId } : {}),
      ...(source !== undefined ? { source } : {}),
    };
  },

  create(a: AgencyRecord): TxItem {
    return putNew('responsibilities', agencyEntity.toItem(a), () => new ConflictError(`Agency ${a.id} exists.`));
  },
} as const;
