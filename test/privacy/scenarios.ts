import { type Backend, day, type Estimate, estimate, type Random, readers, type Slot, Trial } from './attacker.js';

/**
 * The classes of attack, each a trial over fresh shelters that runs the same in memory and through the API.
 * Hidden values of small shelters are drawn uniformly from 0–4 (below the threshold), of big ones from 5–7;
 * the attacker knows the draws' ranges, which shelter reported on which day, and its own figures.
 */

const SMALL = [0, 1, 2, 3, 4] as const;
const BIG = [5, 6, 7] as const;

/** What a class's trial needs: where it lives, its own ids and draws, and the world it runs in. */
export interface TrialSetup {
  readonly backend: Backend;
  readonly slot: Slot;
  readonly prefix: string;
  readonly rng: Random;
}

/** A trial's outcome: the attacker's estimate of the target, and what an API run checks beside it. */
export interface Outcome {
  readonly estimate: Estimate;
  /** The audit class: the replacement it made, and whether it changed the hidden figure. */
  readonly replacement?: { readonly changed: boolean; readonly shelterId: string };
}

export interface AttackClass {
  readonly name: string;
  readonly description: string;
  readonly run: (setup: TrialSetup) => Promise<Outcome>;
}

const anyDay = (s: Slot, rng: Random) => day(s, rng.int(1, 3), rng.int(1, 28));

export const attackClasses: readonly AttackClass[] = [
  {
    name: 'own knowledge',
    description: 'staff subtract their own shelter, backdate a small figure of their own and register a fake shelter to lift the county',
    async run({ backend, slot: s, prefix, rng }) {
      const t = new Trial(backend, readers.agency, s, prefix);
      // Drawn first, in a fixed order; then registered and reported side by side.
      const ownDay = anyDay(s, rng);
      const ownValue = rng.int(0, 9);
      const victimDay = anyDay(s, rng);
      const others = [
        { name: 'h', value: rng.int(0, 4), prior: SMALL, date: victimDay },
        ...(rng.chance(0.5) ? [{ name: 'w', value: rng.int(0, 4), prior: SMALL, date: anyDay(s, rng) }] : []),
        ...(rng.chance(0.5) ? [{ name: 'b', value: rng.int(5, 7), prior: BIG, date: anyDay(s, rng) }] : []),
      ];
      const [own] = await Promise.all([
        t.shelter('egen', 'kirkens-bymisjon').then(async (id) => {
          await t.report(id, ownDay, ownValue);
          return id;
        }),
        ...others.map(async (o) => {
          const id = await t.shelter(`nabo-${o.name}`, 'nav');
          await t.report(id, o.date, { hidden: o.name, value: o.value, prior: o.prior });
        }),
      ]);
      await t.readAll();
      // The lever: a small figure of its own backdated into the victim's day, and a fake shelter of its own there too.
      await Promise.all([t.report(own, victimDay, 4), t.shelter('falsk', 'kirkens-bymisjon').then((fake) => t.report(fake, victimDay, 4))]);
      await t.readAll();
      // Then it puts its own figure back.
      await t.report(own, victimDay, ownValue);
      await t.readAll();
      return { estimate: estimate(t, 'h') };
    },
  },
  {
    name: 'time',
    description: 'a funder reads a county before and after one more shelter reports',
    async run({ backend, slot: s, prefix, rng }) {
      const t = new Trial(backend, readers.funder, s, prefix);
      const background = [
        { name: 'w1', value: rng.int(0, 4), prior: SMALL, date: anyDay(s, rng) },
        { name: 'w2', value: rng.int(0, 4), prior: SMALL, date: anyDay(s, rng) },
        ...(rng.chance(0.5) ? [{ name: 'b', value: rng.int(5, 7), prior: BIG, date: anyDay(s, rng) }] : []),
      ];
      await Promise.all(
        background.map(async (b) => {
          const id = await t.shelter(`bakgrunn-${b.name}`, 'nav');
          await t.report(id, b.date, { hidden: b.name, value: b.value, prior: b.prior });
        }),
      );
      await t.readAll();
      const victimDay = anyDay(s, rng);
      const victimValue = rng.int(0, 4);
      const victim = await t.shelter('ny', 'kirkens-bymisjon');
      await t.report(victim, victimDay, { hidden: 'h', value: victimValue, prior: SMALL });
      await t.readAll();
      return { estimate: estimate(t, 'h') };
    },
  },
  {
    name: 'granularity',
    description: 'a funder compares months with their quarter and year, when the victim reported in another month than the others',
    async run({ backend, slot: s, prefix, rng }) {
      const t = new Trial(backend, readers.funder, s, prefix);
      const victimMonth = rng.int(1, 3);
      const otherMonth = ((victimMonth + rng.int(0, 1)) % 3) + 1;
      const background = [
        { name: 'w1', value: rng.int(0, 4), prior: SMALL, date: day(s, otherMonth, rng.int(1, 28)) },
        { name: 'w2', value: rng.int(0, 4), prior: SMALL, date: day(s, otherMonth, rng.int(1, 28)) },
        ...(rng.chance(0.5) ? [{ name: 'b', value: rng.int(5, 7), prior: BIG, date: day(s, otherMonth, rng.int(1, 28)) }] : []),
      ];
      const victimDay = day(s, victimMonth, rng.int(1, 28));
      const victimValue = rng.int(0, 4);
      await Promise.all([
        ...background.map(async (b) => {
          const id = await t.shelter(`bakgrunn-${b.name}`, 'nav');
          await t.report(id, b.date, { hidden: b.name, value: b.value, prior: b.prior });
        }),
        t
          .shelter('offer', 'kirkens-bymisjon')
          .then((victim) => t.report(victim, victimDay, { hidden: 'h', value: victimValue, prior: SMALL })),
      ]);
      await t.readAll();
      return { estimate: estimate(t, 'h') };
    },
  },
  {
    name: 'audit trail',
    description: 'the coordinator reads a replaced report (the same figure or another) and every figure',
    async run({ backend, slot: s, prefix, rng }) {
      const t = new Trial(backend, readers.coordinator, s, prefix);
      const date = anyDay(s, rng);
      const first = rng.int(0, 4);
      const changed = rng.chance(0.5);
      const second = changed ? (first + rng.int(1, 4)) % 5 : first;
      const victim = await t.shelter('revidert', 'kirkens-bymisjon');
      await t.report(victim, date, { hidden: 'h0', value: first, prior: SMALL });
      await t.report(victim, date, { hidden: 'h', value: second, prior: SMALL });
      await t.readAll();
      return { estimate: estimate(t, 'h'), replacement: { changed, shelterId: victim } };
    },
  },
  {
    name: 'combined',
    description:
      'every figure, before and after a late report and the reader’s own writes: three big shelters and the target in a county, another county for the country, a funder or staff with a shelter of their own',
    async run({ backend, slot: s, prefix, rng }) {
      const staff = rng.chance(0.5);
      const t = new Trial(backend, staff ? readers.agency : readers.funder, s, prefix);
      // The target's occupancy, the same in the month it reports on time and in the month that lands late.
      const onTime = rng.int(1, 3);
      const late = ((onTime + rng.int(0, 1)) % 3) + 1;
      const onTimeDay = day(s, onTime, rng.int(1, 28));
      const lateDay = day(s, late, rng.int(1, 28));
      const target = { hidden: 'h', value: rng.int(0, 4), prior: SMALL };
      const known = [1, 2, 3].map((k) => ({ name: `kjent-${k}`, value: rng.int(5, 7), date: anyDay(s, rng) }));
      const neighbour = rng.chance(0.5) ? { value: rng.int(0, 4), date: anyDay(s, rng) } : undefined;
      const elsewhere = [
        { name: 'borte-stor', value: rng.int(5, 7), prior: BIG, date: anyDay(s, rng) },
        { name: 'borte-liten', value: rng.int(0, 4), prior: SMALL, date: anyDay(s, rng) },
      ];
      const ownDay = anyDay(s, rng);
      const ownValue = rng.int(0, 9);
      const [targetId, own] = await Promise.all([
        t.shelter('maal', 'nav').then(async (id) => {
          await t.report(id, onTimeDay, target);
          return id;
        }),
        staff
          ? t.shelter('egen', 'kirkens-bymisjon').then(async (id) => {
              await t.report(id, ownDay, ownValue);
              return id;
            })
          : Promise.resolve(undefined),
        ...known.map(async (k) => {
          const id = await t.shelter(k.name, 'nav');
          await t.report(id, k.date, { hidden: k.name, value: k.value, prior: BIG });
        }),
        neighbour &&
          t.shelter('nabo', 'nav').then((id) => t.report(id, neighbour.date, { hidden: 'w', value: neighbour.value, prior: SMALL })),
        ...elsewhere.map(async (e) => {
          const id = await t.shelter(e.name, 'nav', s.otherRegion);
          await t.report(id, e.date, { hidden: e.name, value: e.value, prior: e.prior });
        }),
      ]);
      await t.readAll();
      // The late report: a month of the target's backfilled, with the same occupancy.
      await t.report(targetId, lateDay, target);
      await t.readAll();
      if (own) {
        // Staff then do what they can: backdate a small figure of their own into the target's days, add a fake
        // shelter of their own there, read, and put their figure back.
        await Promise.all([t.report(own, lateDay, 4), t.shelter('falsk', 'kirkens-bymisjon').then((fake) => t.report(fake, onTimeDay, 0))]);
        await t.readAll();
        await t.report(own, lateDay, ownValue);
        await t.readAll();
      }
      return { estimate: estimate(t, 'h') };
    },
  },
];
