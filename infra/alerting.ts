import { Aws, type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Properties of {@link Alerting}. */
export interface AlertingProps {
  /**
   * Addresses that receive the digests and alarm notices. Each gets a
   * confirmation email first; nothing arrives until it is confirmed.
   * @default - no subscriptions (add them later in the SNS console)
   */
  readonly alertEmails?: readonly string[];
  /**
   * What happens to the key when the stack is deleted.
   * @default RemovalPolicy.DESTROY - the key is scheduled for deletion
   * after KMS's 30-day waiting period
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Properties of {@link Alerting.addAuditAlarms}. */
export interface AuditAlarmsProps {
  /** The function whose errors raise an alarm. */
  readonly auditFunction: lambda.IFunction;
  /** CloudWatch namespace the function publishes to. */
  readonly namespace: string;
  /** How often the audit runs: the period of every alarm. */
  readonly schedule: Duration;
  /** The signing CA critical threshold (`AUDIT_CA_CRITICAL_DAYS`). */
  readonly caCriticalDays: number;
}

/** The four alarms of design section 8. */
export interface AuditAlarms {
  readonly caExpiry: cloudwatch.Alarm;
  readonly criticalClusters: cloudwatch.Alarm;
  readonly heartbeat: cloudwatch.Alarm;
  readonly functionErrors: cloudwatch.Alarm;
}

/**
 * The alert path: a customer-managed key, the topic it encrypts, email
 * subscriptions, and the alarms that notify the topic. The AWS-managed
 * SNS key cannot be used here: its policy cannot be changed, so CloudWatch
 * alarms could not publish to the topic.
 */
export class Alerting extends Construct {
  readonly key: kms.Key;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlertingProps = {}) {
    super(scope, id);
    const alarmSource = cloudWatchAlarmSource();

    this.key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the EKS certificate audit alert topic.',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToEncryptForTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: alarmSource,
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'EKS certificate audit',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: alarmSource,
      }),
    );

    for (const email of props.alertEmails ?? []) {
      this.topic.addSubscription(new EmailSubscription(email));
    }
  }

  /**
   * Adds the alarms on standard metrics and points their ALARM and OK
   * actions at the topic. Metrics Insights alarms are not used: they
   * evaluate only the last three hours, shorter than the schedule.
   */
  addAuditAlarms(props: AuditAlarmsProps): AuditAlarms {
    const accountMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: props.namespace,
        metricName,
        dimensionsMap: { AccountId: Aws.ACCOUNT_ID },
        statistic,
        period: props.schedule,
      });

    const alarms: AuditAlarms = {
      caExpiry: new cloudwatch.Alarm(this, 'CaExpiryAlarm', {
        alarmDescription:
          'A cluster signing CA has fewer days left than the critical ' +
          'threshold. Rotate it now: see the audit email or dashboard.',
        metric: accountMetric(
          'MinClusterCADaysToExpiry',
          cloudwatch.Stats.MINIMUM,
        ),
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        threshold: props.caCriticalDays,
        evaluationPeriods: 1,
        // A period without a datum says nothing about the CAs (the
        // heartbeat alarm owns missing runs): keep the last state.
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      }),
      criticalClusters: new cloudwatch.Alarm(this, 'CriticalClustersAlarm', {
        alarmDescription:
          'At least one cluster is critical (untrusted chain, expired or ' +
          'expiring certificate or CA). See the audit email or dashboard.',
        metric: accountMetric('ClustersCritical', cloudwatch.Stats.MAXIMUM),
        comparisonOperator:
          cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 1,
        // As above: no run, no news about clusters; keep the last state.
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      }),
      heartbeat: new cloudwatch.Alarm(this, 'HeartbeatAlarm', {
        alarmDescription:
          'No complete audit run for two schedule periods: the function ' +
          'failed, timed out, was throttled or is not scheduled.',
        metric: accountMetric('AuditSucceeded', cloudwatch.Stats.SUM),
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        threshold: 1,
        // Two periods, so one run that lands in the neighbouring period
        // does not page anyone.
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        // Missing data is exactly the failure this alarm exists for.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
      functionErrors: new cloudwatch.Alarm(this, 'FunctionErrorsAlarm', {
        alarmDescription:
          'The audit function failed. The failure record with the error ' +
          'was sent to this topic; the log group has the details.',
        metric: props.auditFunction.metricErrors({
          statistic: cloudwatch.Stats.SUM,
          period: props.schedule,
        }),
        comparisonOperator:
          cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        threshold: 0,
        evaluationPeriods: 1,
        // Lambda reports Errors only when it runs; between runs keep the
        // state of the last run (the heartbeat covers runs that never
        // happen).
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      }),
    };

    const action = new SnsAction(this.topic);
    for (const alarm of Object.values(alarms)) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarms;
  }
}

/**
 * Conditions that let CloudWatch act only for alarms of this account and
 * Region (confused-deputy protection).
 */
function cloudWatchAlarmSource(): Record<string, unknown> {
  return {
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: {
      'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
    },
  };
}
