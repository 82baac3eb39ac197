/** What an AWS SDK v3 error says about itself, read defensively. */
export interface AwsErrorFacts {
  /** The AWS error name, `Unknown` for an unmodelled answer. */
  readonly name: string;
  readonly message: string;
  readonly httpStatusCode: number | null;
  /** Attempts the SDK made, retries included, when it says. */
  readonly attempts: number | null;
}

/** Reads name, message, HTTP status and attempts from any thrown value. */
export function awsErrorFacts(error: unknown): AwsErrorFacts {
  if (!(error instanceof Error)) {
    return {
      name: 'Error',
      message: String(error),
      httpStatusCode: null,
      attempts: null,
    };
  }
  const metadata = (error as { $metadata?: Record<string, unknown> }).$metadata;
  const status = metadata?.httpStatusCode;
  const attempts = metadata?.attempts;
  return {
    name: error.name,
    message: error.message,
    httpStatusCode: typeof status === 'number' ? status : null,
    attempts: typeof attempts === 'number' ? attempts : null,
  };
}

/**
 * One line for a person: `Name: message`, with the HTTP status for an
 * unmodelled answer and the number of attempts when the SDK retried.
 */
export function describeAwsError(error: unknown): string {
  const facts = awsErrorFacts(error);
  const status =
    facts.name === 'Unknown' && facts.httpStatusCode !== null
      ? ` (HTTP ${facts.httpStatusCode})`
      : '';
  const attempts =
    facts.attempts !== null && facts.attempts > 1
      ? ` after ${facts.attempts} attempts`
      : '';
  return `${facts.name}${status}: ${facts.message}${attempts}`;
}

/**
 * Errors of a region the account cannot use: an opt-in region that is not
 * enabled rejects the credentials as if they were unknown there.
 */
const REGION_AUTH_ERRORS: ReadonlySet<string> = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AuthFailure',
  'OptInRequired',
]);

const ACCESS_DENIED_ERRORS: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
]);

const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/** Whether the error is a plain permission refusal. */
export function isAccessDenied(error: unknown): boolean {
  const facts = awsErrorFacts(error);
  return ACCESS_DENIED_ERRORS.has(facts.name);
}

/** Whether the cluster or CA named in the call does not exist. */
export function isResourceNotFound(error: unknown): boolean {
  return awsErrorFacts(error).name === 'ResourceNotFoundException';
}

/**
 * Whether the region does not know the operation at all: a region where
 * the CA rotation API is not deployed answers an unknown route with
 * UnknownOperationException, or with a bare 404 that the SDK names
 * `Unknown`, or rejects the call's credentials as unrecognised.
 */
export function isOperationUnavailable(error: unknown): boolean {
  const facts = awsErrorFacts(error);
  if (facts.name === 'UnknownOperationException') return true;
  if (facts.name === 'UnrecognizedClientException') return true;
  return (
    facts.httpStatusCode === 404 &&
    facts.name !== 'ResourceNotFoundException' &&
    facts.name !== 'NotFoundException'
  );
}

/**
 * The `error` text of a failed region: what failed, the AWS error, and
 * what it most likely means.
 */
export function regionFailureMessage(
  operation: string,
  region: string,
  error: unknown,
): string {
  const facts = awsErrorFacts(error);
  const base = `${operation} failed in ${region}: ${describeAwsError(error)}`;
  if (REGION_AUTH_ERRORS.has(facts.name)) {
    return `${base}. The region is probably an opt-in region that is not enabled for this account; enable it or leave it out of AUDIT_REGIONS.`;
  }
  if (ACCESS_DENIED_ERRORS.has(facts.name)) {
    return `${base}. Grant eks:${operation} to the auditor's role.`;
  }
  if (THROTTLING_ERRORS.has(facts.name) || facts.httpStatusCode === 429) {
    return `${base}. EKS kept throttling the calls; the region is audited again on the next run.`;
  }
  return `${base}.`;
}
