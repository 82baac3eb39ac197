import { describe, expect, it } from 'vitest';
import {
  applyConnectTo,
  type ConnectToRule,
  parseConnectTo,
  parseConnectToList,
} from '../../lambda/engine/connect-to.js';
import { AuditError } from '../../lambda/engine/errors.js';

const EKS_HOST =
  'ABCDEF0123456789ABCDEF0123456789.gr7.us-west-2.eks.amazonaws.com';

describe('parseConnectTo', () => {
  it.each([
    [
      `${EKS_HOST}:443:127.0.0.1:8443`,
      [EKS_HOST.toLowerCase(), 443, '127.0.0.1', 8443],
    ],
    ['::127.0.0.1:', [null, null, '127.0.0.1', null]],
    [':443::8443', [null, 443, null, 8443]],
    [':::', [null, null, null, null]],
    ['[::1]:443:[::1]:9443', ['::1', 443, '::1', 9443]],
    ['example.com::[::1]:', ['example.com', null, '::1', null]],
    ['[2001:DB8::1]:1:localhost:65535', ['2001:db8::1', 1, 'localhost', 65535]],
    [
      'a.example:443:b_internal.example:443',
      ['a.example', 443, 'b_internal.example', 443],
    ],
  ])('parses %s', (text, [fromHost, fromPort, toHost, toPort]) => {
    const rule = parseConnectTo(text);

    expect(rule).toEqual({ fromHost, fromPort, toHost, toPort, text });
  });

  it.each([
    ['', /found 1 field$/],
    ['example.com:443', /found 2 fields$/],
    ['example.com:443:127.0.0.1', /found 3 fields$/],
    ['a:443:b:443:c', /more than 4 fields; an IPv6 address goes in brackets/],
    ['::1:443:127.0.0.1:443', /more than 4 fields/],
    [
      'example.com:https:127.0.0.1:443',
      /PORT1 must be a port from 1 to 65535, got "https"/,
    ],
    [
      'example.com:443:127.0.0.1:0',
      /PORT2 must be a port from 1 to 65535, got "0"/,
    ],
    ['example.com:443:127.0.0.1:65536', /PORT2 .* got "65536"/],
    ['example.com:443:127.0.0.1:-1', /PORT2 .* got "-1"/],
    ['[::1:443:127.0.0.1:443', /"\[" at position 1 is never closed/],
    ['[not-ip]:443:127.0.0.1:443', /HOST1 "\[not-ip\]" is not an IPv6 address/],
    ['[::1]x:443:127.0.0.1:443', /expected ":" after "\[::1\]"/],
    ['exa mple:443:127.0.0.1:443', /HOST1 "exa mple" is not a host name/],
  ])('rejects %j with a message naming the value', (text, why) => {
    const parse = () => parseConnectTo(text);

    expect(parse).toThrow(AuditError);
    expect(parse).toThrow(`connect-to rule "${text}" must be HOST1:PORT1`);
    expect(parse).toThrow(why);
  });

  it('throws errors with the USAGE code', () => {
    const error = catchError(() => parseConnectTo('nonsense'));

    expect(error).toBeInstanceOf(AuditError);
    expect((error as AuditError).code).toBe('USAGE');
  });
});

describe('parseConnectToList', () => {
  it('splits on any whitespace and skips blanks', () => {
    const rules = parseConnectToList(
      '  a.example:443:127.0.0.1:1001 \n\tb.example:443:127.0.0.1:1002  ',
    );

    expect(rules.map((rule) => rule.toPort)).toEqual([1001, 1002]);
  });

  it.each([[undefined], [''], ['   ']])('gives no rules for %j', (text) => {
    expect(parseConnectToList(text)).toEqual([]);
  });

  it('names the variable and the bad entry', () => {
    const parse = () => parseConnectToList('a.example:443:127.0.0.1:1 oops');

    expect(parse).toThrow('AUDIT_CONNECT_TO entry "oops" must be');
  });
});

describe('applyConnectTo', () => {
  const rules: readonly ConnectToRule[] = [
    parseConnectTo(`${EKS_HOST}:443:127.0.0.1:8443`),
    parseConnectTo('other.example::127.0.0.2:'),
    parseConnectTo(':9000::9001'),
    parseConnectTo(`${EKS_HOST}:443:127.0.0.9:9999`),
    parseConnectTo('[::1]:443:127.0.0.1:7443'),
  ];

  it.each([
    ['the first of two rules for a host', EKS_HOST, 443, '127.0.0.1', 8443],
    [
      'host names case-insensitively',
      EKS_HOST.toLowerCase(),
      443,
      '127.0.0.1',
      8443,
    ],
    ['no rule for another port', EKS_HOST, 444, EKS_HOST, 444],
    ['any port and keeps it', 'other.example', 6443, '127.0.0.2', 6443],
    ['any host and keeps it', 'third.example', 9000, 'third.example', 9001],
    ['IPv6 in brackets', '[::1]', 443, '127.0.0.1', 7443],
    ['IPv6 without brackets', '::1', 443, '127.0.0.1', 7443],
    ['nothing and drops brackets', '[::2]', 443, '::2', 443],
    ['nothing without a match', '10.0.0.1', 443, '10.0.0.1', 443],
  ])('matches %s', (_case, host, port, toHost, toPort) => {
    expect(applyConnectTo(host, port, rules)).toEqual({
      host: toHost,
      port: toPort,
    });
  });

  it('keeps the address without rules', () => {
    expect(applyConnectTo('a.example', 443, [])).toEqual({
      host: 'a.example',
      port: 443,
    });
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
