import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAuditApp } from '../../infra/audit-app.js';
import {
  LATEST_FINDINGS_QUERY,
  RUN_SUMMARIES_QUERY,
} from '../../infra/dashboard.js';
import type { EksCertAuditStack } from '../../infra/eks-cert-audit-stack.js';

/**
 * Synthesizes the app as `cdk synth -c …` would, minus the esbuild run
 * (`aws:cdk:bundling-stacks` empty), so these tests need no handler build.
 * cdk-nag runs during synthesis and throws on any finding.
 */
function synth(context: Record<string, unknown> = {}): {
  readonly stack: EksCertAuditStack;
  readonly template: Template;
} {
  const { stack } = createAuditApp({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
  });
  return { stack, template: Template.fromStack(stack) };
}

function policyStatements(template: Template, roleLogicalId: string) {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleLogicalId }] },
  });
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement,
  );
}

/** How a fragment of dashboard JSON appears in {@link dashboardBody}. */
function bodyFragment(fragment: string): string {
  return JSON.stringify(fragment).slice(1, -1);
}

/** How a string value inside the dashboard JSON appears in the body. */
function bodyText(text: string): string {
  return bodyFragment(JSON.stringify(text).slice(1, -1));
}

function dashboardBody(template: Template): string {
  const [dashboard] = Object.values(
    template.findResources('AWS::CloudWatch::Dashboard'),
  );
  return JSON.stringify(dashboard?.Properties.DashboardBody);
}

describe('EksCertAuditStack', () => {
  let stack: EksCertAuditStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synth({
      alertEmails: 'a@example.org,b@example.org',
    }));
  });

  it('runs on Node.js 22 on arm64 with 512 MB and 10 minutes', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 600,
    });
  });

  it('runs one audit at a time through reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
    });
  });

  it('leaves concurrency unreserved when reservedConcurrency is false', () => {
    const { template: unreserved } = synth({ reservedConcurrency: 'false' });

    unreserved.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: Match.absent(),
    });
  });

  it('does not retry failed runs and sends them to the topic', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: { Destination: { Ref: topicId(template) } },
      },
    });
  });

  it('schedules a run every 6 hours with retries off', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [functionId(template), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    });
  });

  it('follows the schedule given as context', () => {
    const { template: daily } = synth({ schedule: 'rate(1 day)' });

    daily.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 day)',
    });
    daily.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuditSucceeded',
      Period: 86_400,
      EvaluationPeriods: 2,
    });
  });

  it('passes every configuration variable, and no other', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    const variables = fn?.Properties.Environment.Variables;

    expect(Object.keys(variables).sort()).toEqual([
      'AUDIT_CA_ACTIVATION_CRITICAL_DAYS',
      'AUDIT_CA_ACTIVATION_WARNING_DAYS',
      'AUDIT_CA_CRITICAL_DAYS',
      'AUDIT_CA_WARNING_DAYS',
      'AUDIT_DASHBOARD_URL',
      'AUDIT_DESCRIBE_CONCURRENCY',
      'AUDIT_NAMESPACE',
      'AUDIT_PER_CLUSTER_METRICS',
      'AUDIT_PROBE_CONCURRENCY',
      'AUDIT_PROBE_TIMEOUT_SECONDS',
      'AUDIT_REMINDER_HOURS',
      'AUDIT_SERVER_CERT_CRITICAL_DAYS',
      'AUDIT_SERVER_CERT_WARNING_DAYS',
      'AUDIT_STATE_TABLE',
      'AUDIT_TOPIC_ARN',
      'AUDIT_UNREACHABLE_ALERT_RUNS',
      'POWERTOOLS_LOG_LEVEL',
      'POWERTOOLS_SERVICE_NAME',
    ]);
    expect(variables.AUDIT_TOPIC_ARN).toEqual({ Ref: topicId(template) });
    expect(variables.AUDIT_STATE_TABLE).toEqual({ Ref: tableId(template) });
    expect(JSON.stringify(variables.AUDIT_DASHBOARD_URL)).toContain(
      '.console.aws.amazon.com/cloudwatch/home?region=',
    );
  });

  it('passes regions and thresholds from context', () => {
    const { template: custom } = synth({
      regions: 'us-east-1,eu-west-1',
      caCriticalDays: '60',
      caWarningDays: '365',
    });

    custom.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AUDIT_REGIONS: 'us-east-1,eu-west-1',
          AUDIT_CA_CRITICAL_DAYS: '60',
          AUDIT_CA_WARNING_DAYS: '365',
        }),
      },
    });
    custom.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MinClusterCADaysToExpiry',
      Threshold: 60,
    });
  });

  it('keeps the state table on demand, with PITR and a TTL', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'clusterKey', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'clusterKey', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
      DeletionPolicy: 'Delete',
    });
  });

  it('retains table, log group and key when retainData is true', () => {
    const { template: retained } = synth({ retainData: 'true' });

    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::Logs::LogGroup',
      'AWS::KMS::Key',
    ]) {
      retained.hasResource(type, { DeletionPolicy: 'Retain' });
    }
  });

  it('creates the log group with three months of retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 90,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: logGroupId(template) } },
    });
  });

  it('encrypts the topic with a rotating customer-managed key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId(template), 'Arn'] },
    });
  });

  it('lets CloudWatch alarms of this account use the key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          }),
        ]),
      },
    });
  });

  it('denies publishing without TLS and lets alarms publish', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            }),
          }),
        ]),
      },
    });
  });

  it('subscribes every alert email', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const email of ['a@example.org', 'b@example.org']) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: topicId(template) },
      });
    }
  });

  describe('function policy', () => {
    const statement = (sidOrAction: string) => {
      const statements = policyStatements(template, roleId(template));
      return statements.filter(
        (s) => s.Sid === sidOrAction || [s.Action].flat().includes(sidOrAction),
      );
    };

    it('has exactly the statements of docs/iam-policy.md', () => {
      const actions = policyStatements(template, roleId(template))
        .flatMap((s) => [s.Action].flat())
        .sort();

      expect(actions).toEqual([
        'account:ListRegions',
        'cloudwatch:PutMetricData',
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'eks:DescribeCertificateAuthority',
        'eks:DescribeCluster',
        'eks:ListCertificateAuthorities',
        'eks:ListClusters',
        'kms:Decrypt',
        'kms:GenerateDataKey*',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sns:Publish',
      ]);
    });

    it('writes only to its own log group', () => {
      expect(statement('logs:PutLogEvents')).toEqual([
        expect.objectContaining({
          Resource: { 'Fn::GetAtt': [logGroupId(template), 'Arn'] },
        }),
      ]);
    });

    it.each([['account:ListRegions'], ['eks:ListClusters']])(
      'calls %s on * (no resource-level permissions)',
      (action) => {
        expect(statement(action)).toEqual([
          expect.objectContaining({ Action: action, Resource: '*' }),
        ]);
      },
    );

    it('describes only clusters of its own account', () => {
      expect(statement('eks:DescribeCluster')).toEqual([
        expect.objectContaining({
          Action: [
            'eks:DescribeCluster',
            'eks:ListCertificateAuthorities',
            'eks:DescribeCertificateAuthority',
          ],
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':eks:*:',
                { Ref: 'AWS::AccountId' },
                ':cluster/*',
              ],
            ],
          },
        }),
      ]);
    });

    it('puts metrics only into its namespace', () => {
      expect(statement('cloudwatch:PutMetricData')).toEqual([
        expect.objectContaining({
          Resource: '*',
          Condition: {
            StringEquals: { 'cloudwatch:namespace': 'EKSCertificateAudit' },
          },
        }),
      ]);
    });

    it('publishes only to the alert topic, through its key', () => {
      expect(statement('sns:Publish')).toEqual([
        expect.objectContaining({ Resource: { Ref: topicId(template) } }),
      ]);
      expect(statement('kms:Decrypt')).toEqual([
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: { 'Fn::GetAtt': [keyId(template), 'Arn'] },
        }),
      ]);
    });

    it('reads and writes only the state table, without deleting', () => {
      expect(statement('dynamodb:GetItem')).toEqual([
        expect.objectContaining({
          Action: [
            'dynamodb:BatchGetItem',
            'dynamodb:BatchWriteItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
          ],
          Resource: { 'Fn::GetAtt': [tableId(template), 'Arn'] },
        }),
      ]);
    });

    it('follows a custom namespace into the metric condition', () => {
      const { template: custom } = synth({ namespace: 'Platform/EksCerts' });
      const [role] = Object.keys(
        custom.findResources('AWS::IAM::Role', {
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: [
                Match.objectLike({
                  Principal: { Service: 'lambda.amazonaws.com' },
                }),
              ],
            },
          },
        }),
      );

      expect(policyStatements(custom, role ?? '')).toContainEqual(
        expect.objectContaining({
          Condition: {
            StringEquals: { 'cloudwatch:namespace': 'Platform/EksCerts' },
          },
        }),
      );
    });
  });

  describe('alarms', () => {
    it.each([
      {
        metric: 'MinClusterCADaysToExpiry',
        statistic: 'Minimum',
        comparison: 'LessThanThreshold',
        threshold: 30,
        evaluationPeriods: 1,
        missing: 'ignore',
      },
      {
        metric: 'ClustersCritical',
        statistic: 'Maximum',
        comparison: 'GreaterThanThreshold',
        threshold: 0,
        evaluationPeriods: 1,
        missing: 'ignore',
      },
      {
        metric: 'AuditSucceeded',
        statistic: 'Sum',
        comparison: 'LessThanThreshold',
        threshold: 1,
        evaluationPeriods: 2,
        missing: 'breaching',
      },
    ])('alarms on $metric ($statistic $comparison $threshold)', (expected) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'EKSCertificateAudit',
        MetricName: expected.metric,
        Dimensions: [{ Name: 'AccountId', Value: { Ref: 'AWS::AccountId' } }],
        Statistic: expected.statistic,
        ComparisonOperator: expected.comparison,
        Threshold: expected.threshold,
        Period: 21_600,
        EvaluationPeriods: expected.evaluationPeriods,
        TreatMissingData: expected.missing,
        AlarmActions: [{ Ref: topicId(template) }],
        OKActions: [{ Ref: topicId(template) }],
      });
    });

    it('alarms on function errors', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [
          { Name: 'FunctionName', Value: { Ref: functionId(template) } },
        ],
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        TreatMissingData: 'ignore',
        AlarmActions: [{ Ref: topicId(template) }],
      });
    });

    it('names no unit and uses no Metrics Insights query', () => {
      const alarms = Object.values(
        template.findResources('AWS::CloudWatch::Alarm'),
      );

      expect(alarms).toHaveLength(4);
      for (const alarm of alarms) {
        expect(alarm.Properties.Unit).toBeUndefined();
        expect(alarm.Properties.Metrics).toBeUndefined();
      }
    });
  });

  describe('dashboard', () => {
    it('lists the worst clusters with Metrics Insights queries', () => {
      const body = dashboardBody(template);

      for (const query of [
        'SELECT MIN(ClusterCADaysToExpiry) FROM SCHEMA("EKSCertificateAudit", AccountId, ClusterName, Region) GROUP BY ClusterName, Region ORDER BY MIN() ASC LIMIT 20',
        'SELECT MAX(Severity) FROM SCHEMA("EKSCertificateAudit", AccountId, ClusterName, Region) GROUP BY ClusterName, Region ORDER BY MAX() DESC LIMIT 20',
        'SELECT MIN(ServerCertificateDaysToExpiry) FROM SCHEMA(',
        'SELECT MIN(ChainTrusted) FROM SCHEMA(',
      ]) {
        expect(body).toContain(bodyText(query));
      }
    });

    it('uses the schedule as period and shows at least a day', () => {
      const body = dashboardBody(template);
      const periods = [...body.matchAll(/\\"period\\":(\d+)/g)].map((match) =>
        Number(match[1]),
      );

      expect(body).toContain(bodyFragment('"start":"-P1D"'));
      expect(body).toContain(bodyFragment('"periodOverride":"inherit"'));
      expect(periods.length).toBeGreaterThan(0);
      expect(new Set(periods)).toEqual(new Set([21_600]));
    });

    it('shows a longer range for a longer schedule', () => {
      const { template: slow } = synth({ schedule: 'rate(2 days)' });

      expect(dashboardBody(slow)).toContain(bodyFragment('"start":"-P4D"'));
    });

    it('shows fleet figures, alarm states and recent findings', () => {
      const body = dashboardBody(template);

      for (const metric of [
        'ClustersAudited',
        'ClustersCritical',
        'ClustersWarning',
        'ClustersUnreachable',
        'ClustersSkipped',
        'ClustersErrored',
        'RegionsFailed',
        'MinServerCertificateDaysToExpiry',
        'MinClusterCADaysToExpiry',
        'AuditDurationSeconds',
      ]) {
        expect(body).toContain(bodyFragment(`"${metric}"`));
      }
      expect(body).toContain(bodyFragment('"type":"alarm"'));
      expect(body).toContain(bodyText(LATEST_FINDINGS_QUERY));
      expect(body).toContain(bodyText(RUN_SUMMARIES_QUERY));
      expect(LATEST_FINDINGS_QUERY).toContain(
        '| filter message = "cluster finding"',
      );
      expect(RUN_SUMMARIES_QUERY).toContain(
        '| filter message = "audit summary"',
      );
    });

    it('replaces the tables by a note without per-cluster metrics', () => {
      const { template: lean } = synth({ perClusterMetrics: 'false' });

      expect(dashboardBody(lean)).not.toContain('SELECT');
      expect(dashboardBody(lean)).toContain('Per-cluster metrics are');
    });

    it('is named after the stack and Region, as the email link says', () => {
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
        DashboardName: {
          'Fn::Join': [
            '',
            [{ Ref: 'AWS::StackName' }, '-', { Ref: 'AWS::Region' }],
          ],
        },
      });
    });
  });

  describe('cdk-nag', () => {
    it('reports no unacknowledged AwsSolutions finding', () => {
      const report = new AwsSolutionsChecks().validateScope(stack);

      expect(report.violations.map((v) => v.ruleName)).toEqual([]);
      expect(report.success).toBe(true);
    });

    it('leaves no CDK error or warning annotations', () => {
      const annotations = Annotations.fromStack(stack);

      expect(annotations.findError('*', Match.anyValue())).toEqual([]);
      expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    });

    it('acknowledges every rule with a written reason', () => {
      const acknowledged = stack.node
        .findAll()
        .flatMap((node) => node.node.metadata)
        .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
        .flatMap((entry) => Object.values(entry.data as object));

      expect(acknowledged.length).toBeGreaterThan(0);
      for (const reason of acknowledged) {
        expect(JSON.stringify(reason).length).toBeGreaterThan(40);
      }
    });

    it('fails synthesis when a finding is not acknowledged', async () => {
      const { app, stack: bare } = createAuditApp({
        context: { 'aws:cdk:bundling-stacks': [] },
      });
      const { Topic } = await import('aws-cdk-lib/aws-sns');
      new Topic(bare, 'UnencryptedTopic');

      expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
    });
  });
});

function logicalId(template: Template, type: string, props = {}): string {
  const ids = Object.keys(template.findResources(type, props));
  expect(ids).toHaveLength(1);
  return ids[0] ?? '';
}

function topicId(template: Template): string {
  return logicalId(template, 'AWS::SNS::Topic');
}

function keyId(template: Template): string {
  return logicalId(template, 'AWS::KMS::Key');
}

function tableId(template: Template): string {
  return logicalId(template, 'AWS::DynamoDB::Table');
}

function logGroupId(template: Template): string {
  return logicalId(template, 'AWS::Logs::LogGroup');
}

function functionId(template: Template): string {
  return logicalId(template, 'AWS::Lambda::Function');
}

function roleId(template: Template): string {
  return logicalId(template, 'AWS::IAM::Role', {
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } }),
        ],
      },
    },
  });
}
