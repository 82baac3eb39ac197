import {
  type DerElement,
  DerError,
  expectTag,
  readChildren,
  readOid,
  TAG,
} from './der-reader.js';
import { ATTRIBUTE_NAMES } from './object-identifiers.js';

/** A parsed X.501 name (an issuer or a subject). */
export interface DistinguishedName {
  /** The encoded Name, as it appears in the certificate. */
  readonly der: Buffer;
  /**
   * RFC 4514 string, most specific RDN first (`CN=a,O=b,C=US`), exactly
   * as OpenSSL's `-nameopt RFC2253` orders it (the values inside a
   * multi-valued RDN reversed too); non-ASCII text stays UTF-8.
   */
  readonly text: string;
  /** `text`, or `(empty name)` when there is none: for messages. */
  readonly display: string;
  /** Canonical form used to match an issuer to a subject. */
  readonly matchKey: string;
  /** `true` for an empty RDN sequence. */
  readonly isEmpty: boolean;
}

interface Attribute {
  readonly type: string;
  /** Decoded text, or `null` for a value that is not a character string. */
  readonly value: string | null;
  readonly der: Buffer;
}

/** Reads a Name (RDNSequence) element. */
export function parseDistinguishedName(element: DerElement): DistinguishedName {
  expectTag(element, TAG.sequence);
  const rdns = readChildren(element).map((rdn) => {
    expectTag(rdn, TAG.set);
    const attributes = readChildren(rdn).map(readAttribute);
    if (attributes.length === 0) throw new DerError('empty RDN');
    return attributes;
  });
  const text = rdns
    .slice()
    .reverse()
    .map((rdn) => rdn.map(formatAttribute).reverse().join('+'))
    .join(',');
  return {
    der: element.bytes,
    text,
    display: text === '' ? '(empty name)' : text,
    matchKey:
      rdns.length === 0
        ? ''
        : JSON.stringify(rdns.map((rdn) => rdn.map(matchForm).sort())),
    isEmpty: rdns.length === 0,
  };
}

/**
 * Whether an issuer field names a subject (RFC 5280 7.1, simplified to
 * case and white-space folding). An empty name matches nothing: RFC 5280
 * 4.1.2.4 and 4.1.2.6 require issuers and CA subjects to be non-empty.
 */
export function sameName(a: DistinguishedName, b: DistinguishedName): boolean {
  if (a.isEmpty || b.isEmpty) return false;
  return a.der.equals(b.der) || a.matchKey === b.matchKey;
}

function readAttribute(element: DerElement): Attribute {
  expectTag(element, TAG.sequence);
  const [type, value, ...rest] = readChildren(element);
  if (type === undefined || value === undefined || rest.length > 0) {
    throw new DerError('attribute is not a type and a value');
  }
  return { type: readOid(type), value: decodeText(value), der: value.bytes };
}

/** Text of the ASN.1 character string types; `null` for anything else. */
export function decodeText(element: DerElement): string | null {
  const bytes = element.content;
  switch (element.tag) {
    case TAG.utf8String:
      return strictUtf8(bytes);
    case TAG.printableString:
    case TAG.ia5String:
    case TAG.visibleString:
    case 0x12:
      return bytes.every((byte) => byte < 0x80)
        ? bytes.toString('latin1')
        : null;
    case TAG.teletexString:
      return bytes.toString('latin1');
    case TAG.bmpString:
      return bytes.length % 2 === 0
        ? Buffer.from(bytes).swap16().toString('utf16le')
        : null;
    case TAG.universalString:
      return decodeUcs4(bytes);
    default:
      return null;
  }
}

function strictUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function decodeUcs4(bytes: Buffer): string | null {
  if (bytes.length % 4 !== 0) return null;
  let text = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const code = bytes.readUInt32BE(i);
    if (code > 0x10ffff) return null;
    text += String.fromCodePoint(code);
  }
  return text;
}

function formatAttribute(attribute: Attribute): string {
  const name = ATTRIBUTE_NAMES.get(attribute.type);
  if (name === undefined || attribute.value === null) {
    return `${attribute.type}=#${attribute.der.toString('hex').toUpperCase()}`;
  }
  return `${name}=${escapeValue(attribute.value)}`;
}

/** RFC 4514 2.4 escaping, plus control characters as `\XX`. */
function escapeValue(value: string): string {
  let out = '';
  const chars = Array.from(value);
  chars.forEach((char, index) => {
    const code = char.codePointAt(0) as number;
    if (code < 0x20 || code === 0x7f) {
      out += `\\${code.toString(16).padStart(2, '0').toUpperCase()}`;
    } else if ('"+,;<>\\'.includes(char)) {
      out += `\\${char}`;
    } else if (index === 0 && (char === ' ' || char === '#')) {
      out += `\\${char}`;
    } else if (index === chars.length - 1 && char === ' ') {
      out += '\\ ';
    } else {
      out += char;
    }
  });
  return out;
}

function matchForm(attribute: Attribute): string {
  if (attribute.value === null) {
    return `${attribute.type}#${attribute.der.toString('hex')}`;
  }
  const folded = attribute.value
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
  return `${attribute.type}=${folded}`;
}
