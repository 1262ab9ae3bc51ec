import { useQuery } from '@apollo/client/react';
import { RegionsDocument } from '../graphql';

/**
 * The counties (fylker) as the API lists them (`Query.regions`), the closed list it accepts for a shelter's
 * region: proper names, the same in both languages. Read once and kept in the cache; empty until it answers.
 */
export function useRegions(): readonly string[] {
  const { data } = useQuery(RegionsDocument);
  return data?.regions ?? [];
}
