import {
  Aws,
  CfnOutput,
  type Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Alerting } from './alerting.js';
import {
  type AuditSettingsInput,
  resolveAuditSettings,
} from './audit-settings.js';
import { Auditor } from './auditor.js';
import { AuditDashboard } from './dashboard.js';

/** Properties of {@link EksCertAuditStack}; every one has a default. */
export interface EksCertAuditStackProps extends StackProps, AuditSettingsInput {
  /**
   * Addresses that receive the digests and alarm notices.
   * @default - no subscriptions
   */
  readonly alertEmails?: readonly string[];
  /**
   * One run at a time through a reserved concurrency of 1. Needs one
   * execution to spare above the account's 100 unreserved.
   * @default true
   */
  readonly reservedConcurrency?: boolean;
  /**
   * Keep the state table, log group and KMS key when the stack is
   * deleted.
   * @default false - all three are deleted (the key after 30 days)
   */
  readonly retainData?: boolean;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** @default 512 */
  readonly memorySizeMb?: number;
  /** @default Duration.minutes(10) */
  readonly timeout?: Duration;
}

/**
 * The whole deployment of eks-cert-audit: the scheduled function with its
 * state table, the encrypted alert topic with alarms, and the dashboard.
 * Environment-agnostic: it deploys to the account and Region of the
 * credentials `cdk deploy` runs with.
 */
export class EksCertAuditStack extends Stack {
  readonly alerting: Alerting;
  readonly auditor: Auditor;
  readonly dashboard: AuditDashboard;

  constructor(
    scope: Construct,
    id: string,
    props: EksCertAuditStackProps = {},
  ) {
    super(scope, id, props);
    const settings = resolveAuditSettings(props);
    const removalPolicy = props.retainData
      ? RemovalPolicy.RETAIN
      : RemovalPolicy.DESTROY;
    // Dashboards are global to the account: the Region keeps two
    // deployments of the stack apart. Built from pseudo parameters, so
    // the function can link to it without depending on it.
    const dashboardName = `${Aws.STACK_NAME}-${Aws.REGION}`;
    const dashboardUrl =
      `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home` +
      `?region=${Aws.REGION}#dashboards/dashboard/${dashboardName}`;

    this.alerting = new Alerting(this, 'Alerting', {
      alertEmails: props.alertEmails,
      removalPolicy,
    });
    this.auditor = new Auditor(this, 'Auditor', {
      settings,
      topic: this.alerting.topic,
      topicKey: this.alerting.key,
      dashboardUrl,
      reservedConcurrency: props.reservedConcurrency,
      memorySizeMb: props.memorySizeMb,
      timeout: props.timeout,
      logRetention: props.logRetention,
      removalPolicy,
    });
    const alarms = this.alerting.addAuditAlarms({
      auditFunction: this.auditor.function,
      namespace: settings.namespace,
      schedule: settings.schedule,
      caCriticalDays: settings.thresholds.caCriticalDays,
    });
    this.dashboard = new AuditDashboard(this, 'Dashboard', {
      dashboardName,
      namespace: settings.namespace,
      schedule: settings.schedule,
      thresholds: settings.thresholds,
      logGroup: this.auditor.logGroup,
      alarms: Object.values(alarms),
      perClusterMetrics: settings.perClusterMetrics,
    });

    new CfnOutput(this, 'TopicArn', { value: this.alerting.topic.topicArn });
    new CfnOutput(this, 'FunctionName', {
      value: this.auditor.function.functionName,
    });
    new CfnOutput(this, 'StateTableName', {
      value: this.auditor.table.tableName,
    });
    new CfnOutput(this, 'DashboardUrl', { value: dashboardUrl });

    acknowledgeNagFindings(this);
  }
}

/**
 * The cdk-nag findings this stack acknowledges, each with its reason. Each
 * finding is acknowledged by its exact id, so a new wildcard still fails
 * synthesis.
 */
function acknowledgeNagFindings(stack: EksCertAuditStack): void {
  const { auditor } = stack;
  Validations.of(auditor.function).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Pinned to Node.js 22, the version the bundle targets and the ' +
      'cold-start benchmark measured; raise runtime and esbuild target ' +
      'together (infra/lambda-bundle.ts).',
  });
  Validations.of(auditor.role).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'account:ListRegions, eks:ListClusters and cloudwatch:PutMetricData ' +
        'have no resource-level permissions; PutMetricData is limited to ' +
        'the audit namespace by the cloudwatch:namespace condition.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:*:<AWS::AccountId>:cluster/*]`,
      reason:
        'The audit reads every cluster of the account in every Region; ' +
        'cluster names and Regions are not known at deploy time. Only ' +
        'read actions (Describe/List) are granted.',
    },
    {
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey* ' +
        '(as documented by SNS), on this one key only.',
    },
  );
  const functionId = stack.getLogicalId(
    auditor.function.node.defaultChild as CfnFunction,
  );
  // The scheduler's role is made by the LambdaInvoke target at stack level.
  Validations.of(stack).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
    reason:
      'EventBridge Scheduler may invoke this one function; the :* suffix ' +
      'covers its versions and aliases, as the LambdaInvoke target grants.',
  });
}
