import { as, type Caller, executeText } from './api.js';
import type { Handler } from './environment.js';

export const REGISTER = `mutation ($input: RegisterShelterInput!) { registerShelter(input: $input) { shelter { id name region version operator { id } } } }`;

/** Registers a shelter through the API as its operator (Kirkens Bymisjon unless said otherwise); returns its id. */
export async function createShelter(
  handler: Handler,
  overrides: Record<string, unknown> = {},
  operator: Caller = as.otherAgency,
): Promise<string> {
  const res = await executeText<{ registerShelter: { shelter: { id: string } } }>(handler, operator, REGISTER, {
    input: {
      name: 'Testhuset',
      operatorId: 'kirkens-bymisjon',
      region: 'Oslo',
      municipality: 'Oslo',
      address: 'Hemmeligveien 1, 0150 Oslo',
      targetGroups: ['WOMEN'],
      services: ['SAFE_HOUSING', 'PSYCHOLOGICAL_SUPPORT'],
      ...overrides,
    },
  });
  if (res.errors) throw new Error(`registerShelter failed: ${JSON.stringify(res.errors)}`);
  return res.data?.registerShelter.shelter.id ?? '';
}

export const REPORT = `mutation ($input: ReportCapacityInput!) { reportCapacity(input: $input) { capacityReport { date capacity occupied suppressed } } }`;

export async function reportCapacity(
  handler: Handler,
  shelterId: string,
  date: string,
  capacity: number,
  occupied: number,
  operator: Caller = as.otherAgency,
) {
  return executeText<{ reportCapacity: { capacityReport: { date: string; capacity: number; occupied: number | null } } }>(
    handler,
    operator,
    REPORT,
    {
      input: { shelterId, date, capacity, occupied },
    },
  );
}
