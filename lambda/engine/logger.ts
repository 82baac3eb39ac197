/** Structured fields attached to one log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logging seam of the engine and adapters: a fixed message and
 * per-cluster facts as fields. The Lambda passes Powertools Logger; the CLI
 * passes a JSON-lines logger on stderr; tests pass {@link silentLogger} or a
 * recorder.
 */
export interface AuditLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything. */
export const silentLogger: AuditLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
