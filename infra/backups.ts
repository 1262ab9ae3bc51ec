import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { DataTables } from './tables.js';

/** How long a daily backup is kept, and the least the locked vault lets anyone keep one. */
export const BACKUP_RETENTION = Duration.days(365);

/**
 * Days after which the vault lock can no longer be changed or removed, by anyone (compliance mode). Three days leave
 * time to notice a mistake in the first deploy; after that not even the account's root user can shorten the retention
 * or delete a recovery point early.
 */
export const VAULT_LOCK_GRACE = Duration.days(3);

export interface BackupsProps {
  readonly stage: string;
  readonly tables: DataTables;
}

/**
 * A daily AWS Backup of every table into a vault of this stage with a vault lock: point-in-time recovery (35 days,
 * on every table) covers a bad deploy; this covers what PITR cannot: a table deleted with its PITR history, an
 * account compromise that deletes backups, and a look a year back.
 */
export class Backups extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);

    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: `samordning-${props.stage}`,
      // The AWS-managed key (aws/backup): DynamoDB backups keep the table's own encryption besides, and a customer
      // key here would need grants for AWS Backup in its policy to get right.
      lockConfiguration: { minRetention: BACKUP_RETENTION, changeableFor: VAULT_LOCK_GRACE },
      // A locked vault cannot be emptied before its recovery points expire; it stays when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: `samordning-${props.stage}-daily`,
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'daily',
          // 03:00 UTC, after the working day in Norway and before the daily reminders.
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: BACKUP_RETENTION,
        }),
      ],
    });
    const selection = this.plan.addSelection('Tables', {
      backupSelectionName: 'tables',
      resources: [...props.tables.byId.values()].map(({ table }) => backup.BackupResource.fromDynamoDbTable(table)),
    });

    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        "The role AWS Backup assumes to back up the tables. AWS maintains this managed policy for exactly that purpose and adds to it as the service's needs change; its actions are limited to creating and describing backups.",
    });
  }
}
