import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SnsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { AuditSettings } from './audit-settings.js';
import {
  LAMBDA_BUNDLE,
  nodejsBundlingOptions,
  PROJECT_ROOT,
} from './lambda-bundle.js';

/**
 * How long an invocation may wait in Lambda's asynchronous queue (for
 * example behind a manual run, with one run at a time) before it goes to
 * the failure destination. An hour keeps a late run well apart from the
 * next scheduled one, which is at least an hour away.
 */
export const MAX_EVENT_AGE = Duration.hours(1);

/** Properties of {@link Auditor}. */
export interface AuditorProps {
  /** Resolved settings: schedule, namespace and the plain variables. */
  readonly settings: AuditSettings;
  /** The alert topic: digests go there, and failed invocations too. */
  readonly topic: sns.ITopic;
  /** The customer-managed key that encrypts {@link AuditorProps.topic}. */
  readonly topicKey: kms.IKey;
  /** Console link to the dashboard, printed in every email. */
  readonly dashboardUrl: string;
  /**
   * Reserve one concurrent execution so that runs never overlap. The
   * account needs that one execution to spare above Lambda's minimum
   * unreserved pool (100).
   * @default true
   */
  readonly reservedConcurrency?: boolean;
  /** @default 512 */
  readonly memorySizeMb?: number;
  /** @default Duration.minutes(10) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the state table and the log group when the stack is
   * deleted.
   * @default RemovalPolicy.DESTROY - the table holds only alert memory,
   * which the next run rebuilds (sending one catch-up email at most)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The audit function with everything it owns: its role (least
 * privilege), log group, alert-state table and the schedule that runs it.
 */
export class Auditor extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly table: dynamodb.Table;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: AuditorProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
    });

    this.table = new dynamodb.Table(this, 'StateTable', {
      partitionKey: { name: 'clusterKey', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the EKS certificate audit (read-only on EKS).',
    });
    for (const statement of auditorStatements({
      logGroup: this.logGroup,
      table: this.table,
      topic: props.topic,
      topicKey: props.topicKey,
      namespace: props.settings.namespace,
    })) {
      this.role.addToPolicy(statement);
    }

    this.function = new NodejsFunction(this, 'Function', {
      description: 'Audits the TLS trust of every EKS cluster API server.',
      entry: LAMBDA_BUNDLE.entry,
      handler: LAMBDA_BUNDLE.handlerExport,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LAMBDA_BUNDLE.depsLockFile,
      bundling: nodejsBundlingOptions(),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySizeMb ?? 512,
      timeout: props.timeout ?? Duration.minutes(10),
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions:
        (props.reservedConcurrency ?? true) ? 1 : undefined,
      retryAttempts: 0,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: new SnsDestination(props.topic),
      environment: {
        ...props.settings.environment,
        AUDIT_TOPIC_ARN: props.topic.topicArn,
        AUDIT_STATE_TABLE: this.table.tableName,
        AUDIT_DASHBOARD_URL: props.dashboardUrl,
      },
    });

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Runs the EKS certificate audit.',
      schedule: scheduler.ScheduleExpression.rate(props.settings.schedule),
      // No retries: a failed run is reported by the failure destination
      // and the alarms, and the next scheduled run starts fresh.
      target: new LambdaInvoke(this.function, {
        retryAttempts: 0,
        maxEventAge: MAX_EVENT_AGE,
      }),
    });
  }
}

/** What {@link auditorStatements} needs to scope each statement. */
export interface AuditorStatementTargets {
  readonly logGroup: logs.ILogGroup;
  readonly table: dynamodb.ITable;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
  readonly namespace: string;
}

/**
 * The function's whole identity policy, one statement per need, each as
 * narrow as the API allows (docs/iam-policy.md explains every line). It
 * calls neither STS nor EC2.
 */
export function auditorStatements(
  targets: AuditorStatementTargets,
): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [targets.logGroup.logGroupArn],
    }),
    new iam.PolicyStatement({
      sid: 'ListEnabledRegions',
      actions: ['account:ListRegions'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ListClusters',
      actions: ['eks:ListClusters'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'DescribeClustersAndCertificateAuthorities',
      actions: [
        'eks:DescribeCluster',
        'eks:ListCertificateAuthorities',
        'eks:DescribeCertificateAuthority',
      ],
      resources: [`arn:${Aws.PARTITION}:eks:*:${Aws.ACCOUNT_ID}:cluster/*`],
    }),
    new iam.PolicyStatement({
      sid: 'PutAuditMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'cloudwatch:namespace': targets.namespace },
      },
    }),
    // The next two equal what the failure destination grants, and carry
    // no Sid so that CDK merges the duplicates into one statement each.
    new iam.PolicyStatement({
      actions: ['sns:Publish'],
      resources: [targets.topic.topicArn],
    }),
    new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: [targets.topicKey.keyArn],
    }),
    new iam.PolicyStatement({
      sid: 'ReadWriteAlertState',
      actions: [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
      ],
      resources: [targets.table.tableArn],
    }),
  ];
}
