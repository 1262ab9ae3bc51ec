/**
 * A DynamoDB table declared as plain data. The CDK stack (infra/) and the local bootstrap
 * (local/, test/) both build tables from these declarations, so the keys can never drift apart.
 */
export type AttributeType = 'S' | 'N';

export interface KeyDeclaration {
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface IndexDeclaration extends KeyDeclaration {
  readonly name: string;
}

/** One access pattern: what it serves and the key condition that serves it. */
export interface AccessPattern {
  readonly name: string;
  readonly index?: string;
  readonly operation: 'GetItem' | 'BatchGetItem' | 'Query' | 'TransactWriteItems' | 'TransactGetItems';
  readonly keyCondition: string;
}

export interface TableDeclaration extends KeyDeclaration {
  /** Logical name: the CDK construct id, and the suffix of the physical name. */
  readonly id: 'measures' | 'responsibilities' | 'shelters' | 'funding' | 'audit';
  /** Environment variable through which the function learns the physical table name. */
  readonly envVar: string;
  readonly attributes: Readonly<Record<string, AttributeType>>;
  readonly globalIndexes: readonly IndexDeclaration[];
  /** Stream view type, when the table has a stream. */
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** Attribute holding an epoch-seconds expiry, when the table has TTL. */
  readonly ttlAttribute?: string;
  readonly accessPatterns: readonly AccessPattern[];
}
