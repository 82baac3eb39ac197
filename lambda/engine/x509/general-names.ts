import {
  type DerElement,
  DerError,
  readChildren,
  readOnly,
  TAG,
} from './der-reader.js';
import {
  type DistinguishedName,
  parseDistinguishedName,
} from './distinguished-name.js';

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
      readonly address: Buffer;
    }
  | {
      readonly type: 'DirName';
      readonly text: string;
      readonly valid: true;
      readonly name: DistinguishedName;
    }
  | { readonly type: 'other'; readonly text: string; readonly valid: false };

/** Reads a GeneralNames SEQUENCE. */
export function readGeneralNames(element: DerElement): GeneralName[] {
  return readChildren(element).map(readGeneralName);
}

/** Reads one GeneralName by its context tag. */
export function readGeneralName(element: DerElement): GeneralName {
  switch (element.tag) {
    case 0x81:
      return ia5('email', element.content);
    case 0x82:
      return ia5('DNS', element.content);
    case 0x86:
      return ia5('URI', element.content);
    case 0x87:
      return {
        type: 'IP',
        text: formatIpAddress(element.content),
        valid: element.content.length === 4 || element.content.length === 16,
        address: element.content,
      };
    case 0xa4: {
      const name = parseDistinguishedName(
        readOnly(element.content, TAG.sequence),
      );
      return { type: 'DirName', text: name.text, valid: true, name };
    }
    case 0xa0:
    case 0xa3:
    case 0xa5:
    case 0x88:
      return { type: 'other', text: '', valid: false };
    default:
      throw new DerError(
        `unknown GeneralName tag 0x${element.tag.toString(16)}`,
      );
  }
}

/** The `DNS:` / `IP:` style strings OpenSSL prints, for reports. */
export function formatGeneralName(name: GeneralName): string | null {
  return name.type === 'other' ? null : `${name.type}:${name.text}`;
}

/**
 * Text form of an IP address: dotted quad for IPv4, RFC 5952 (lower case,
 * longest zero run as `::`) for IPv6, hex for any other length.
 */
export function formatIpAddress(bytes: Buffer): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length !== 16) return `#${bytes.toString('hex')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestLength < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

function ia5(type: 'DNS' | 'email' | 'URI', bytes: Buffer): GeneralName {
  const ascii = /^[\x20-\x7e]*$/.test(bytes.toString('latin1'));
  return {
    type,
    text: ascii ? bytes.toString('latin1') : bytes.toString('utf8'),
    valid: ascii,
  };
}
