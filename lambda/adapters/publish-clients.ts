import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { PublishClients } from '../alerts/publish-run.js';
import { type AwsClientOptions, awsClientConfig } from './aws-clients.js';

/**
 * The CloudWatch, SNS and DynamoDB clients of the publishing step, in the
 * run's home region, with the shared retry and timeout settings.
 */
export function publishClients(
  region: string,
  options: AwsClientOptions = {},
): PublishClients {
  const config = awsClientConfig(region, options);
  return {
    cloudWatch: new CloudWatchClient(config),
    sns: new SNSClient(config),
    dynamoDb: new DynamoDBClient(config),
  };
}
