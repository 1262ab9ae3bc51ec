import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { AttributeType, TableDeclaration } from '../functions/shared/table.js';
import { deployedTableName, type TableId, tables } from '../functions/shared/tables.js';

export interface DataTablesProps {
  readonly stage: string;
  /** Deletion protection and RETAIN, so that neither a console click nor a stack delete loses data. */
  readonly protect: boolean;
}

/**
 * Every request path uses exactly these: reads by key or key condition, and the item actions that
 * TransactWriteItems is authorized by (IAM has no TransactWriteItems or TransactGetItems action: each
 * item in a transaction is checked as its Put, Update, Delete, ConditionCheck or Get). No Scan.
 */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'] as const;

/**
 * The audit log is append-only: IAM grants the function no UpdateItem or DeleteItem on it,
 * so no bug can edit or remove an entry in place. PutItem could still replace an entry whole; what
 * refuses that is the `attribute_not_exists(pk)` condition on every append (the audit entry entity),
 * and the table's stream keeps every write for an archive to follow.
 */
const APPEND_ONLY_ACTIONS = ['dynamodb:PutItem'] as const;

/** What changes or removes an existing audit entry: denied to every principal but the break-glass role. */
export const AUDIT_CHANGE_ACTIONS = ['UpdateItem', 'DeleteItem', 'BatchWriteItem', 'PartiQLUpdate', 'PartiQLDelete'] as const;
/** What adds an audit entry: denied to every principal but the writer and the break-glass role. */
export const AUDIT_PUT_ACTIONS = ['PutItem', 'PartiQLInsert'] as const;

/** The actions the GraphQL function is granted on a table and its indexes. */
export function functionActionsFor(id: TableId): readonly string[] {
  return id === 'audit' ? [...READ_ACTIONS, ...APPEND_ONLY_ACTIONS] : [...READ_ACTIONS, ...WRITE_ACTIONS];
}

/** What a reader (the exports function) is granted: reads of a data table, and appending to the audit log. */
export function readerActionsFor(id: TableId): readonly string[] {
  return id === 'audit' ? [...APPEND_ONLY_ACTIONS] : [...READ_ACTIONS];
}

/** The five tables, each built from its declaration in functions/shared/tables.ts and nothing else. */
export class DataTables extends Construct {
  readonly byId: ReadonlyMap<TableId, { readonly declaration: TableDeclaration; readonly table: dynamodb.Table }>;
  private readonly stage: string;
  /** The role that alone may change audit entries, once `protectAudit` has named it. */
  auditBreakGlassRoleArn: string | undefined;

  constructor(scope: Construct, id: string, props: DataTablesProps) {
    super(scope, id);
    this.stage = props.stage;
    this.byId = new Map(tables.map((declaration) => [declaration.id, { declaration, table: buildTable(this, declaration, props) }]));
  }

  /**
   * Makes the audit log append-only by the table's own resource policy, whatever identity policies say: only the
   * break-glass role may change or delete an entry (UpdateItem, DeleteItem, BatchWriteItem and their PartiQL forms),
   * and only the writers (the GraphQL and exports functions' roles) and the break-glass role may put one, each put carrying
   * `attribute_not_exists(pk)` in the code. Principals are matched with `aws:PrincipalArn` conditions and role ARNs
   * built from names, so the policy refers to no resource that refers back to the table (no circular dependency),
   * and it names a break-glass role that need not exist yet (a Principal would have to).
   */
  protectAudit(props: { readonly writerRoleArns: readonly string[]; readonly breakGlassRoleName: string }): void {
    const audit = this.byId.get('audit');
    if (!audit) throw new Error('The audit table is not declared');
    const stack = Stack.of(this);
    const breakGlassRoleArn = stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: props.breakGlassRoleName });
    // The table's own ARN, built from its physical name: a reference to the table would make it depend on itself.
    const tableArn = stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: deployedTableName(this.stage, 'audit') });
    this.auditBreakGlassRoleArn = breakGlassRoleArn;
    audit.table.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EntriesAreNeverChangedButByBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: AUDIT_CHANGE_ACTIONS.map((a) => `dynamodb:${a}`),
        resources: [tableArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': breakGlassRoleArn } },
      }),
    );
    audit.table.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EntriesArePutOnlyByTheWriter',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: AUDIT_PUT_ACTIONS.map((a) => `dynamodb:${a}`),
        resources: [tableArn],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...props.writerRoleArns, breakGlassRoleArn] } },
      }),
    );
    audit.table.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TheWriterPutsEntries',
        principals: props.writerRoleArns.map((arn) => new iam.ArnPrincipal(arn)),
        actions: ['dynamodb:PutItem'],
        resources: [tableArn],
      }),
    );
  }

  /**
   * Gives a function its tables the way Powertools' `bindTable` does: the environment variable named by each
   * declaration holds the physical name, and one policy statement per table lists the table and each of its
   * indexes by name, so that the role holds no wildcard resource.
   */
  bindTo(fn: { addEnvironment(key: string, value: string): unknown; readonly role?: iam.IRole | undefined }): void {
    this.bind(fn, functionActionsFor);
  }

  /**
   * As `bindTo`, for a function that only reads (the exports): GetItem, BatchGetItem and Query on every data table
   * and its indexes, and PutItem on the audit table (an export is an audited read), nothing that changes data.
   */
  bindReaderTo(fn: { addEnvironment(key: string, value: string): unknown; readonly role?: iam.IRole | undefined }): void {
    this.bind(fn, readerActionsFor);
  }

  private bind(
    fn: { addEnvironment(key: string, value: string): unknown; readonly role?: iam.IRole | undefined },
    actionsFor: (id: TableId) => readonly string[],
  ): void {
    if (!fn.role) throw new Error('A function bound to the tables needs a role');
    for (const { declaration, table } of this.byId.values()) {
      fn.addEnvironment(declaration.envVar, table.tableName);
      const actions = actionsFor(declaration.id);
      // The audit table is written by key only: an appending reader needs no index.
      const indexes = actions.some((a) => READ_ACTIONS.includes(a as (typeof READ_ACTIONS)[number])) ? declaration.globalIndexes : [];
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: `${pascal(declaration.id)}Table`,
          actions: [...actions],
          resources: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
        }),
      );
    }
  }
}

function buildTable(scope: Construct, declaration: TableDeclaration, props: DataTablesProps): dynamodb.Table {
  const attribute = (name: string): dynamodb.Attribute => ({ name, type: attributeType(declaration, name) });
  const table = new dynamodb.Table(scope, pascal(declaration.id), {
    tableName: deployedTableName(props.stage, declaration.id),
    partitionKey: attribute(declaration.partitionKey),
    ...(declaration.sortKey === undefined ? {} : { sortKey: attribute(declaration.sortKey) }),
    // Traffic is a few hundred staff during office hours: on-demand costs nothing at rest and needs no scaling policy.
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // The AWS-managed key (aws/dynamodb) puts every use of the key in CloudTrail at no key cost. A customer-managed
    // key would add its own policy to get right and lose, and neither cdk-nag nor the Control Tower rules ask for one.
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    deletionProtection: props.protect,
    removalPolicy: props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    ...(declaration.stream === undefined ? {} : { stream: streamViewType(declaration.stream) }),
    ...(declaration.ttlAttribute === undefined ? {} : { timeToLiveAttribute: declaration.ttlAttribute }),
  });
  for (const index of declaration.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: attribute(index.partitionKey),
      ...(index.sortKey === undefined ? {} : { sortKey: attribute(index.sortKey) }),
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}

function attributeType(declaration: TableDeclaration, name: string): dynamodb.AttributeType {
  const type: AttributeType | undefined = declaration.attributes[name];
  switch (type) {
    case 'S':
      return dynamodb.AttributeType.STRING;
    case 'N':
      return dynamodb.AttributeType.NUMBER;
    case undefined:
      throw new Error(`Table "${declaration.id}" uses key attribute "${name}" but does not declare its type`);
    default:
      throw new Error(`Table "${declaration.id}": unknown attribute type ${JSON.stringify(type satisfies never)}`);
  }
}

function streamViewType(view: NonNullable<TableDeclaration['stream']>): dynamodb.StreamViewType {
  switch (view) {
    case 'NEW_IMAGE':
      return dynamodb.StreamViewType.NEW_IMAGE;
    case 'NEW_AND_OLD_IMAGES':
      return dynamodb.StreamViewType.NEW_AND_OLD_IMAGES;
    default:
      throw new Error(`Unknown stream view type ${JSON.stringify(view satisfies never)}`);
  }
}

function pascal(id: string): string {
  return id.charAt(0).toUpperCase() + id.slice(1);
}
