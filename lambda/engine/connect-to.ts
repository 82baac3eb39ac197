import { isIPv6 } from 'node:net';
import { AuditError } from './errors.js';

/**
 * One curl-style `--connect-to HOST1:PORT1:HOST2:PORT2` rule: connections
 * meant for HOST1:PORT1 go to HOST2:PORT2 instead. The name sent as SNI and
 * verified stays the original one; only the address changes.
 */
export interface ConnectToRule {
  /** Host to match, lower case, IPv6 without brackets; `null` matches any. */
  readonly fromHost: string | null;
  /** Port to match; `null` matches any. */
  readonly fromPort: number | null;
  /** Host to connect to, IPv6 without brackets; `null` keeps the original. */
  readonly toHost: string | null;
  /** Port to connect to; `null` keeps the original. */
  readonly toPort: number | null;
  /** The rule as it was written, for logs and messages. */
  readonly text: string;
}

/** Where a connection goes: a host name or address, and a port. */
export interface ConnectAddress {
  /** Host name or IP address; IPv6 without brackets. */
  readonly host: string;
  readonly port: number;
}

const SYNTAX =
  'must be HOST1:PORT1:HOST2:PORT2 as in curl (empty HOST1 or PORT1 match ' +
  'any, empty HOST2 or PORT2 keep the original, IPv6 in brackets like [::1])';
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/;
const PORT = /^[0-9]{1,5}$/;

/**
 * Parses one curl-style connect-to rule, as given to `--connect-to`.
 *
 * Throws `AuditError` with code `USAGE` and a message that names the value
 * and what is wrong with it when the syntax is wrong. Takes one argument,
 * so it can be handed to `Array.prototype.map`.
 */
export function parseConnectTo(value: string): ConnectToRule {
  return parseRule(value, 'connect-to rule');
}

function parseRule(value: string, source: string): ConnectToRule {
  const fail = (why: string): never => {
    throw new AuditError('USAGE', `${source} "${value}" ${SYNTAX}: ${why}`);
  };
  const fields = splitFields(value, fail);
  return {
    fromHost: parseHost(fields[0] ?? '', 'HOST1', fail),
    fromPort: parsePort(fields[1] ?? '', 'PORT1', fail),
    toHost: parseHost(fields[2] ?? '', 'HOST2', fail),
    toPort: parsePort(fields[3] ?? '', 'PORT2', fail),
    text: value,
  };
}

/**
 * Parses a space-separated list of connect-to rules, the form of the
 * `AUDIT_CONNECT_TO` variable. Blank or absent text gives no rules.
 *
 * @param source - where the value came from, for messages
 */
export function parseConnectToList(
  text: string | undefined,
  source = 'AUDIT_CONNECT_TO',
): readonly ConnectToRule[] {
  if (text === undefined) return [];
  return text
    .split(/\s+/)
    .filter((entry) => entry.length > 0)
    .map((entry) => parseRule(entry, `${source} entry`));
}

/**
 * Rewrites where to connect for `host` and `port` with the first rule that
 * matches, as curl does; without a match the address is unchanged.
 *
 * Host names match case-insensitively and IPv6 addresses may be given with
 * or without brackets; the host comes back without brackets.
 */
export function applyConnectTo(
  host: string,
  port: number,
  rules: readonly ConnectToRule[],
): ConnectAddress {
  const bare =
    host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  // A trailing dot names the same host (a fully qualified name); curl
  // ignores it when matching, and so must we, or a rule meant to keep a
  // probe on a local address would be bypassed.
  const wanted = bare.toLowerCase().replace(/\.$/, '');
  const rule = rules.find(
    (candidate) =>
      (candidate.fromHost === null || candidate.fromHost === wanted) &&
      (candidate.fromPort === null || candidate.fromPort === port),
  );
  return { host: rule?.toHost ?? bare, port: rule?.toPort ?? port };
}

/** Splits on colons, keeping a bracketed IPv6 address in one field. */
function splitFields(value: string, fail: (why: string) => never): string[] {
  const fields: string[] = [];
  let position = 0;
  while (fields.length < 4) {
    const isHostField = fields.length % 2 === 0;
    let end: number;
    if (isHostField && value[position] === '[') {
      const close = value.indexOf(']', position);
      if (close < 0) fail(`"[" at position ${position + 1} is never closed`);
      end = close + 1;
    } else {
      end = value.indexOf(':', position);
      if (end < 0) end = value.length;
    }
    fields.push(value.slice(position, end));
    if (fields.length === 4) {
      if (end !== value.length) {
        fail(
          `found more than 4 fields; an IPv6 address goes in brackets, like [::1]`,
        );
      }
      break;
    }
    if (value[end] !== ':') {
      fail(
        end >= value.length
          ? `found ${fields.length} field${fields.length === 1 ? '' : 's'}`
          : `expected ":" after "${fields.at(-1)}"`,
      );
    }
    position = end + 1;
  }
  return fields;
}

function parseHost(
  field: string,
  name: string,
  fail: (why: string) => never,
): string | null {
  if (field === '') return null;
  if (field.startsWith('[')) {
    const address = field.slice(1, -1);
    if (!isIPv6(address)) {
      fail(`${name} "${field}" is not an IPv6 address in brackets`);
    }
    return address.toLowerCase();
  }
  if (!HOST_NAME.test(field)) {
    fail(`${name} "${field}" is not a host name or IPv4 address`);
  }
  return field.toLowerCase();
}

function parsePort(
  field: string,
  name: string,
  fail: (why: string) => never,
): number | null {
  if (field === '') return null;
  const port = PORT.test(field) ? Number(field) : Number.NaN;
  if (!(port >= 1 && port <= 65_535)) {
    fail(`${name} must be a port from 1 to 65535, got "${field}"`);
  }
  return port;
}
