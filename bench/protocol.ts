import type { OperationResult, ThroughputResult } from './results.js';

/** What the runner asks a size worker (over the IPC channel), one request at a time. */
export type Request =
  | { readonly cmd: 'run'; readonly operation: string; readonly calls: number; readonly measured: boolean }
  | { readonly cmd: 'throughput'; readonly iterations: number; readonly maxMs: number }
  | { readonly cmd: 'finish' };

/** What a size worker answers. */
export type Reply =
  | {
      readonly type: 'ready';
      readonly loaded: { readonly reports: number; readonly allocations: number; readonly measures: number; readonly shelters: number };
      readonly loadMs: number;
      readonly operations: { readonly name: string; readonly kind: 'query' | 'mutation'; readonly grows?: string }[];
    }
  | ({ readonly type: 'ran' } & Pick<OperationResult, 'name' | 'latencies' | 'commands' | 'rcu' | 'wcu'>)
  | { readonly type: 'throughput'; readonly result: ThroughputResult }
  | { readonly type: 'finished'; readonly scans: number }
  | { readonly type: 'error'; readonly message: string };
