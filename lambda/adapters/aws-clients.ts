import { AccountClient } from '@aws-sdk/client-account';
import { EKSClient } from '@aws-sdk/client-eks';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

/**
 * Attempts per AWS call, the first one included. Six rides out a burst of
 * throttling on DescribeCluster across a large fleet; the SDK default of
 * three gives up too early for a job that runs only every few hours.
 */
export const DEFAULT_MAX_ATTEMPTS = 6;

/** Milliseconds to open a connection to an AWS endpoint. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;

/** Milliseconds a connection may stay silent before the call fails. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** How to build an AWS client; every field has a production default. */
export interface AwsClientOptions {
  /**
   * Endpoint URL instead of the region's AWS endpoint: tests point clients
   * at a stand-in on 127.0.0.1.
   * @default - the AWS endpoint of the region
   */
  readonly endpoint?: string;
  /** @default DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /**
   * Fixed delay between attempts in milliseconds, instead of the SDK's
   * exponential backoff with jitter. Tests set 1 so that retries take no
   * time; production leaves it out.
   * @default - the standard retry strategy's backoff
   */
  readonly retryDelayMs?: number;
  /** @default DEFAULT_CONNECTION_TIMEOUT_MS */
  readonly connectionTimeoutMs?: number;
  /** @default DEFAULT_REQUEST_TIMEOUT_MS */
  readonly requestTimeoutMs?: number;
}

/** The constructor settings every AWS SDK v3 client of the tool shares. */
export interface AwsClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly maxAttempts: number;
  readonly retryMode: 'standard';
  readonly retryStrategy?: ConfiguredRetryStrategy;
  readonly requestHandler: {
    readonly connectionTimeout: number;
    readonly requestTimeout: number;
  };
}

/**
 * Builds the settings for any AWS SDK v3 client: the standard retry mode
 * with {@link DEFAULT_MAX_ATTEMPTS} attempts for throttling, 5xx and
 * network errors, and bounded connect and idle timeouts.
 *
 * Spread it into a client constructor:
 * `new CloudWatchClient({ ...awsClientConfig('eu-west-1') })`.
 */
export function awsClientConfig(
  region: string,
  options: AwsClientOptions = {},
): AwsClientConfig {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const config: AwsClientConfig = {
    region,
    maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout:
        options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    },
  };
  return {
    ...config,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.retryDelayMs === undefined
      ? {}
      : {
          retryStrategy: new ConfiguredRetryStrategy(
            maxAttempts,
            options.retryDelayMs,
          ),
        }),
  };
}

/** Creates an EKS client for one region with the shared settings. */
export function createEksClient(
  region: string,
  options: AwsClientOptions = {},
): EKSClient {
  return new EKSClient(awsClientConfig(region, options));
}

/**
 * Returns a `clientFor(region)` function that creates one EKS client per
 * region on first use and reuses it after, so that its connections and
 * retry capacity are shared by the region's calls.
 */
export function eksClientFactory(
  options: AwsClientOptions = {},
): (region: string) => EKSClient {
  const clients = new Map<string, EKSClient>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = createEksClient(region, options);
      clients.set(region, client);
    }
    return client;
  };
}

/**
 * Creates an Account API client. The Account API is global: whatever the
 * region, the SDK signs for and calls the partition's global endpoint
 * (us-east-1 in the `aws` partition), so pass the run's home region.
 */
export function createAccountClient(
  region: string,
  options: AwsClientOptions = {},
): AccountClient {
  return new AccountClient(awsClientConfig(region, options));
}
