/** Machine-readable codes of the errors that stop a command or a run. */
export const ERROR_CODES = Object.freeze([
  'USAGE',
  'INPUT_UNREADABLE',
  'CONFIG_INVALID',
  'KUBECONFIG_INVALID',
  'PUBLISH_FAILED',
] as const);

/** One error code of {@link AuditError}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one error family of eks-cert-audit: a code for programs, a message
 * that names the subject and the rule next to what was seen, and the cause
 * chained. Findings about clusters are values (reasons), never this.
 */
export class AuditError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditError';
    this.code = code;
  }
}
