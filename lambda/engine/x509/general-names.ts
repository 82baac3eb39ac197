import type { GeneralName as AsnGeneralName } from '@peculiar/asn1-x509';
import { type DistinguishedName, describeName } from './distinguished-name.js';
import { parseIpAddress } from './host-name.js';

/** One GeneralName (RFC 5280 4.2.1.6) of the kinds the verifier reads. */
export type GeneralName =
  | {
      readonly type: 'DNS' | 'email' | 'URI';
      /** The IA5String text; `valid` is `false` when it is not ASCII. */
      readonly text: string;
      readonly valid: boolean;
    }
  | {
      readonly type: 'IP';
      /** RFC 5952 / dotted-quad text of a 4- or 16-octet address. */
      readonly text: string;
      readonly valid: boolean;
      /** The address octets; empty when `valid` is `false`. */
      readonly address: Buffer;
    }
  | {
      readonly type: 'DirName';
      readonly text: string;
      readonly valid: true;
      readonly name: DistinguishedName;
    }
  | { readonly type: 'other'; readonly text: string; readonly valid: false };

/** Describes the GeneralNames that @peculiar/asn1-x509 decoded. */
export function readGeneralNames(
  names: readonly AsnGeneralName[],
): GeneralName[] {
  return names.map(readGeneralName);
}

/**
 * Describes one decoded GeneralName. The library gives an iPAddress as
 * text (dotted quad, or RFC 5952 for IPv6); other lengths than 4 and 16
 * octets are not addresses of a host and come back not `valid`.
 */
export function readGeneralName(name: AsnGeneralName): GeneralName {
  if (name.dNSName !== undefined) return ia5('DNS', name.dNSName);
  if (name.rfc822Name !== undefined) return ia5('email', name.rfc822Name);
  if (name.uniformResourceIdentifier !== undefined) {
    return ia5('URI', name.uniformResourceIdentifier);
  }
  if (name.iPAddress !== undefined) {
    const address = parseIpAddress(name.iPAddress);
    return {
      type: 'IP',
      text: name.iPAddress,
      valid: address !== null,
      address: address ?? Buffer.alloc(0),
    };
  }
  if (name.directoryName !== undefined) {
    const described = describeName(name.directoryName);
    return {
      type: 'DirName',
      text: described.text,
      valid: true,
      name: described,
    };
  }
  return { type: 'other', text: '', valid: false };
}

/** The `DNS:` / `IP:` style strings OpenSSL prints, for reports. */
export function formatGeneralName(name: GeneralName): string | null {
  return name.type === 'other' ? null : `${name.type}:${name.text}`;
}

/**
 * An IA5String as decoded (one character per octet). Anything outside
 * printable ASCII is not a valid name; it is shown as UTF-8.
 */
function ia5(type: 'DNS' | 'email' | 'URI', text: string): GeneralName {
  const ascii = /^[\x20-\x7e]*$/.test(text);
  return {
    type,
    text: ascii ? text : Buffer.from(text, 'latin1').toString('utf8'),
    valid: ascii,
  };
}
