import { AccountClient } from '@aws-sdk/client-account';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { SNSClient } from '@aws-sdk/client-sns';

/**
 * The floor of the Lambda bundle: the five SDK clients the job needs and
 * nothing else, built with the deployment's esbuild settings by the
 * benchmark. Loading it constructs one of each, as a run would.
 */
const region = process.env.AWS_REGION ?? 'us-east-1';

/** One client of each kind, constructed at load. */
export const clients = [
  new EKSClient({ region }),
  new AccountClient({ region }),
  new CloudWatchClient({ region }),
  new SNSClient({ region }),
  new DynamoDBClient({ region }),
];

/** A handler that does nothing, so the entry looks like a function's. */
export async function handler(): Promise<number> {
  return clients.length;
}
