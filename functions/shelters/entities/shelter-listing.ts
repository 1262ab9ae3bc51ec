import { type Item, put, remove, type TxItem } from '../../shared/entity.js';
import type { AssistanceService, ShelterRecord, TargetGroup } from '../shelters.model.js';

type Listed = Pick<ShelterRecord, 'region' | 'operatorId' | 'services' | 'targetGroups'>;

/** The listing a filter reads: the most selective key it names; its other fields become a filter on the listing items. */
export interface ListingChoice {
  readonly key: string;
}

/**
 * The items a shelter is found by (`SHELTER#<id>` / `LIST#<key>`), one per way it can be found
 * (all, region, operator, each service, each target group), in gsi1 by name. Each carries the
 * fields a listing query filters on.
 */
export const shelterListingEntity = {
  table: 'shelters',
  key: (shelterId: string, listingKey: string) => ({ pk: `SHELTER#${shelterId}`, sk: `LIST#${listingKey}` }),
  all: 'SHELTERS',
  region: (region: string) => `REGION#${region}`,
  operator: (agencyId: string) => `OPERATOR#${agencyId}`,
  service: (service: AssistanceService) => `SERVICE#${service}`,
  targetGroup: (group: TargetGroup) => `TARGET#${group}`,

  /** The listing keys a shelter is found by. */
  keysOf(s: Listed): string[] {
    return [
      shelterListingEntity.all,
      shelterListingEntity.region(s.region),
      shelterListingEntity.operator(s.operatorId),
      ...s.services.map(shelterListingEntity.service),
      ...s.targetGroups.map(shelterListingEntity.targetGroup),
    ];
  },

  toItem(s: ShelterRecord, listingKey: string): Item {
    return {
      ...shelterListingEntity.key(s.id, listingKey),
      gsi1pk: listingKey,
      gsi1sk: `${s.name.toLocaleLowerCase('nb')}#${s.id}`,
      shelterId: s.id,
      // Carried for the filters a listing query combines with its key.
      region: s.region,
      services: [...s.services],
      targetGroups: [...s.targetGroups],
    };
  },

  /** The id of the shelter a listing item names. */
  shelterIdOf(item: Item): string {
    const id = item.shelterId;
    if (typeof id !== 'string') throw new Error('Stored shelter listing without a shelter id');
    return id;
  },

  /** Puts every listing item of `next` and deletes those of `current` it no longer has. */
  replace(current: Listed | null, next: ShelterRecord): TxItem[] {
    const keep = new Set(shelterListingEntity.keysOf(next));
    const gone = current ? shelterListingEntity.keysOf(current).filter((k) => !keep.has(k)) : [];
    return [
      ...gone.map((k) => remove('shelters', shelterListingEntity.key(next.id, k))),
      ...[...keep].map((k) => put('shelters', shelterListingEntity.toItem(next, k))),
    ];
  },
} as const;
