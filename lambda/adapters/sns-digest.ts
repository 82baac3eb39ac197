import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DigestEmail } from '../alerts/compose-digest.js';

/**
 * Publishes the digest to the topic as one SNS message, with the message
 * attributes `severity` and `accountId` (String) that subscription filter
 * policies can match. Returns the message id. Errors are the SDK's, after
 * its own retries; the caller decides what a failure means for the run.
 */
export async function publishDigest(
  client: SNSClient,
  topicArn: string,
  email: Pick<DigestEmail, 'subject' | 'body' | 'severity'>,
  accountId: string,
): Promise<string | undefined> {
  const response = await client.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: email.subject,
      Message: email.body,
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: email.severity },
        accountId: { DataType: 'String', StringValue: accountId || '-' },
      },
    }),
  );
  return response.MessageId;
}
