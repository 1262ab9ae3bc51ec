/** What a size worker hands back to the runner (as JSON in bench/out/). */
export interface OperationResult {
  readonly name: string;
  readonly kind: 'query' | 'mutation';
  readonly grows?: string;
  /** A CSV export: the whole dataset, so its requests grow with the data; reported, not held to the request budget. */
  readonly export?: boolean;
  /** Milliseconds of each measured call through the handler. */
  readonly latencies: number[];
  /** The DynamoDB commands of each measured call. */
  readonly commands: string[][];
  /** Read capacity units consumed by each measured call. */
  readonly rcu: number[];
  /** Write capacity units consumed by each measured call. */
  readonly wcu: number[];
}

export interface ThroughputResult {
  readonly operation: string;
  readonly handler: { readonly calls: number; readonly ms: number };
  readonly graphqlJs: { readonly calls: number; readonly ms: number };
}

export interface SizeResult {
  readonly factor: number;
  readonly loaded: { readonly reports: number; readonly allocations: number; readonly measures: number; readonly shelters: number };
  readonly loadMs: number;
  readonly operations: OperationResult[];
  /** Scan commands sent while the operations ran (warm-up calls included). */
  readonly scans: number;
  readonly throughput?: ThroughputResult;
}
