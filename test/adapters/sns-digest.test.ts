import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { publishDigest } from '../../lambda/adapters/sns-digest.js';

const TOPIC = 'arn:aws:sns:us-west-2:111122223333:eks-cert-audit';

const client = new SNSClient({
  region: 'us-west-2',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' },
  maxAttempts: 1,
});
const sns = mockClient(client);

describe('publishDigest', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('publishes one message with the severity and account attributes', async () => {
    const id = await publishDigest(
      client,
      TOPIC,
      { subject: '[CRITICAL] s', body: 'body', severity: 'critical' },
      '111122223333',
    );

    expect(id).toBe('m-1');
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: '[CRITICAL] s',
      Message: 'body',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'critical' },
        accountId: { DataType: 'String', StringValue: '111122223333' },
      },
    });
  });

  it('passes a failure on to the caller', async () => {
    sns.on(PublishCommand).rejects(new Error('AuthorizationError'));

    await expect(
      publishDigest(
        client,
        TOPIC,
        { subject: 's', body: 'b', severity: 'ok' },
        '111122223333',
      ),
    ).rejects.toThrow('AuthorizationError');
  });
});
