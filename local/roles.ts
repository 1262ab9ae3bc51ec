import { demoAgencies } from '../data/demo.js';
import { seedAgencies } from '../data/seed.js';

/** One way to act locally: the Cognito groups its token carries. */
export interface LocalRole {
  /** What a deep link names (`?as=funder`, `?as=agency:nav`) and what `POST /local/token` takes. */
  readonly as: string;
  readonly groups: readonly string[];
  readonly label: string;
}

/** The invented agencies of the demo set (`npm run seed:demo`), so their money and shelters can be handled locally too. */
const { holders, operators } = demoAgencies('demo');
const DEMO_AGENCIES = [...holders, ...operators];

/** Every role a person can act as locally: the three of their own, and staff of each agency of the seed and the demo set. */
export const LOCAL_ROLES: readonly LocalRole[] = [
  { as: 'coordinator', groups: ['coordinator'], label: 'Koordinator (JD)' },
  { as: 'funder', groups: ['funder'], label: 'Finansiør' },
  { as: 'viewer', groups: ['viewer'], label: 'Leser' },
  ...[...seedAgencies, ...DEMO_AGENCIES].map((a) => ({ as: `agency:${a.id}`, groups: [`agency:${a.id}`], label: a.name })),
];

export function localRole(as: unknown): LocalRole | undefined {
  return typeof as === 'string' ? LOCAL_ROLES.find((r) => r.as === as) : undefined;
}

/**
 * Whether a request's Host names this machine. What mints local tokens answers only those: a page
 * that rebinds its own name to 127.0.0.1 still sends its own name as Host.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  let name: string;
  try {
    name = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return name === 'localhost' || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}
