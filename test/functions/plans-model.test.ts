import { describe, expect, it } from 'vitest';
import { countKeyOf, countKeys, measureOrderKey, parsePeriod } from '../../functions/plans/plans.model.js';

describe('reporting periods', () => {
  it.each([
    ['2012', '2012-01-01', '2012-12-31'],
    ['2012-H1', '2012-01-01', '2012-06-30'],
    ['2012-H2', '2012-07-01', '2012-12-31'],
    ['2012-Q1', '2012-01-01', '2012-03-31'],
    ['2012-Q2', '2012-04-01', '2012-06-30'],
    ['2012-Q4', '2012-10-01', '2012-12-31'],
  ])('%s runs from %s to %s', (label, start, end) => {
    expect(parsePeriod(label)).toEqual({ label, start, end });
  });

  it.each(['12', '2012-H3', '2012-Q5', '2012-Q0', '2012-01', ' 2012', '2012-q1', ''])('refuses %j', (label) => {
    expect(parsePeriod(label)).toBeNull();
  });
});

describe('measure order and counters', () => {
  it('orders numbered measures by number, unnumbered ones last', () => {
    const keys = [measureOrderKey(null, 'a'), measureOrderKey(12, 'b'), measureOrderKey(5, 'c')].sort();
    expect(keys).toEqual([measureOrderKey(5, 'c'), measureOrderKey(12, 'b'), measureOrderKey(null, 'a')]);
  });

  it('names one counter per filter a measure matches', () => {
    expect(countKeys([2, 4], 'DELAYED')).toEqual(['all', 'S_DELAYED', 'G2', 'G2_S_DELAYED', 'G4', 'G4_S_DELAYED']);
    expect(countKeyOf(2, 'DELAYED')).toBe('G2_S_DELAYED');
    expect(countKeyOf(null, null)).toBe('all');
    expect(countKeyOf(undefined, 'PLANNED')).toBe('S_PLANNED');
  });
});
