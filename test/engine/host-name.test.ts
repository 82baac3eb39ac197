import { describe, expect, it } from 'vitest';
import type { GeneralName } from '../../lambda/engine/x509/general-names.js';
import {
  matchHost,
  parseIpAddress,
} from '../../lambda/engine/x509/host-name.js';

function san(entry: string): GeneralName {
  const [type, ...rest] = entry.split(':');
  const text = rest.join(':');
  if (type === 'IP') {
    const address = parseIpAddress(text) as Buffer;
    return { type: 'IP', text, valid: true, address };
  }
  return { type: 'DNS', text, valid: /^[\x20-\x7e]*$/.test(text) };
}

const EKS_SAN =
  'DNS:715065595aecc5fb4f2f3811fba82a45.yl4.us-west-2.eks.amazonaws.com';

describe('matchHost', () => {
  it.each([
    [
      EKS_SAN,
      '715065595AECC5FB4F2F3811FBA82A45.yl4.us-west-2.eks.amazonaws.com',
      true,
    ],
    ['DNS:example.com', 'example.com', true],
    ['DNS:EXAMPLE.com', 'example.COM', true],
    ['DNS:example.com', 'example.com.', true],
    ['DNS:example.com.', 'example.com', true],
    ['DNS:kubernetes', 'kubernetes', true],
    ['DNS:xn--bcher-kva.example', 'xn--bcher-kva.example', true],
    ['DNS:example.com', 'example.org', false],
    ['DNS:example.com', 'www.example.com', false],
    ['DNS:www.example.com', 'example.com', false],
    ['DNS:*.example.com', 'a.example.com', true],
    ['DNS:*.example.com', 'A.EXAMPLE.COM', true],
    ['DNS:*.example.com', 'example.com', false],
    ['DNS:*.example.com', 'a.b.example.com', false],
    ['DNS:*.com', 'example.com', false],
    ['DNS:*', 'com', false],
    ['DNS:a*.example.com', 'ab.example.com', false],
    ['DNS:*a.example.com', 'ba.example.com', false],
    ['DNS:foo.*.example.com', 'foo.bar.example.com', false],
    ['DNS:*.example.com', '*.example.com', false],
    ['DNS:foo_bar.example.com', 'foo_bar.example.com', false],
    ['DNS:bücher.example', 'xn--bcher-kva.example', false],
    ['DNS:10.100.0.1', '10.100.0.1', false],
    ['IP:10.100.0.1', '10.100.0.1', true],
    ['IP:10.100.0.1', '10.100.0.2', false],
    ['IP:10.100.0.1', '010.100.0.1', false],
    ['IP:10.100.0.1', 'kubernetes', false],
    ['IP:2001:db8::1', '2001:DB8:0:0:0:0:0:1', true],
    ['IP:2001:db8::1', '[2001:db8::1]', true],
    ['IP:::ffff:10.0.0.1', '10.0.0.1', false],
    ['IP:::ffff:10.0.0.1', '::ffff:a00:1', true],
  ])('%s against %s is %s', (entry, host, matched) => {
    expect(matchHost([san(entry)], host).matched).toBe(matched);
  });

  it('finds a match among several names', () => {
    const names = ['DNS:kubernetes', 'IP:10.100.0.1', EKS_SAN].map(san);

    expect(matchHost(names, '10.100.0.1')).toEqual({
      matched: true,
      by: 'IP:10.100.0.1',
    });
  });

  it.each([
    [
      null,
      'it has no subject alternative names (the common name is never used)',
    ],
    [[], 'it has no subject alternative names (the common name is never used)'],
    [
      ['DNS:kubernetes', 'IP:10.100.0.1'],
      'its subject alternative names are DNS:kubernetes, IP:10.100.0.1',
    ],
  ])('says why %j does not match', (entries, why) => {
    expect(matchHost(entries?.map(san) ?? null, 'example.com')).toEqual({
      matched: false,
      why,
    });
  });
});

describe('parseIpAddress', () => {
  it.each([
    ['10.100.0.1', '0a640001'],
    ['::', '00'.repeat(16)],
    ['::1', `${'00'.repeat(15)}01`],
    ['1::', `0001${'00'.repeat(14)}`],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
    ['::ffff:1.2.3.4', `${'00'.repeat(10)}ffff01020304`],
    ['[fe80::1]', `fe80${'00'.repeat(13)}01`],
  ])('reads %s', (text, hex) => {
    expect(parseIpAddress(text)?.toString('hex')).toBe(hex);
  });

  it.each([
    'example.com',
    '1.2.3',
    '256.1.1.1',
    '01.2.3.4',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7::8',
    ':::',
  ])('refuses %s', (text) => {
    expect(parseIpAddress(text)).toBeNull();
  });
});
