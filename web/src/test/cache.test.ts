import { InMemoryCache } from '@apollo/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { typePolicies } from '../apollo/cache';
import { AllocateFundsDocument, MeasureDetailDocument, ReportCapacityDocument, SheltersDocument } from '../graphql';
import { measureDetail } from './fixtures';

afterEach(() => vi.restoreAllMocks());

describe('the normalized cache', () => {
  it('merges a partial FundingTotals into the full one without a "Cache data may be lost" warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const cache = new InMemoryCache({ typePolicies });
    cache.writeQuery({ query: MeasureDetailDocument, variables: { id: 'm1' }, data: measureDetail().data as never });
    cache.writeQuery({
      query: AllocateFundsDocument,
      variables: { input: { budgetLineId: 'l', amount: '1.00', idempotencyKey: 'k', measureId: 'm1' } },
      data: {
        allocateFunds: {
          __typename: 'AllocationPayload',
          allocation: {
            __typename: 'Allocation',
            id: 'a1',
            amount: '1.00',
            disbursed: '0.00',
            budgetLine: { __typename: 'BudgetLine', id: 'l', allocated: '1.00' },
            measure: { __typename: 'Measure', id: 'm1', funding: { __typename: 'FundingTotals', allocated: '1250001.00' } },
          },
        },
      } as never,
    });
    const measure = cache.readQuery({ query: MeasureDetailDocument, variables: { id: 'm1' } })?.measure;
    expect(measure?.funding).toEqual({ __typename: 'FundingTotals', allocated: '1250001.00', disbursed: '500000.50' });
    expect(warn.mock.calls.flat().join(' ')).not.toMatch(/Cache data may be lost/);
  });

  it("merges a shelter's latest capacity from a report without a warning", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const cache = new InMemoryCache({ typePolicies });
    const shelter = {
      __typename: 'Shelter',
      id: 's1',
      name: 'Huset',
      region: 'Oslo',
      targetGroups: ['WOMEN'],
      services: ['SAFE_HOUSING'],
      operator: { __typename: 'Agency', id: 'op', name: 'Op' },
      latestCapacity: { __typename: 'CapacityReport', date: '2013-01-01', capacity: 10, occupied: null, suppressed: true },
    };
    cache.writeQuery({
      query: SheltersDocument,
      variables: { filter: {}, first: 20 },
      data: {
        shelters: {
          __typename: 'ShelterConnection',
          edges: [{ __typename: 'ShelterEdge', node: shelter }],
          pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        },
      } as never,
    });
    cache.writeQuery({
      query: ReportCapacityDocument,
      variables: { input: { shelterId: 's1', date: '2013-02-01', capacity: 12, occupied: 6 } },
      data: {
        reportCapacity: {
          __typename: 'CapacityReportPayload',
          capacityReport: { __typename: 'CapacityReport', date: '2013-02-01', capacity: 12, occupied: 6, suppressed: false },
          shelter: {
            __typename: 'Shelter',
            id: 's1',
            latestCapacity: { __typename: 'CapacityReport', date: '2013-02-01', capacity: 12, occupied: 6 },
          },
        },
      } as never,
    });
    const read = cache.readQuery({ query: SheltersDocument, variables: { filter: {}, first: 20 } });
    expect(read?.shelters.edges[0]?.node.latestCapacity).toMatchObject({ date: '2013-02-01', capacity: 12, occupied: 6, suppressed: true });
    expect(warn.mock.calls.flat().join(' ')).not.toMatch(/Cache data may be lost/);
  });
});
