import { AsnConvert } from '@peculiar/asn1-schema';
import type { AttributeTypeAndValue, Name } from '@peculiar/asn1-x509';
import { ATTRIBUTE_NAMES } from './object-identifiers.js';
import { DerError } from './parse-der.js';

/** A parsed X.501 name (an issuer or a subject). */
export interface DistinguishedName {
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
  /** Upper-case hex of the encoded value, for values without text. */
  readonly hex: string;
}

/**
 * Describes a Name that @peculiar/asn1-x509 decoded. The library's own
 * `Name.toString()` (in @peculiar/x509) writes the RDNs in encoding order
 * with `, ` between them and its own attribute names, so the RFC 4514
 * text is composed here from the decoded attributes.
 *
 * Values in a character string type the library does not decode
 * (VisibleString, NumericString) are written in the RFC 4514 `#hex` form
 * and matched byte for byte.
 *
 * @throws DerError for an RDN without attributes (X.501 requires one).
 */
export function describeName(name: Name): DistinguishedName {
  const rdns = name.map((rdn) => {
    if (rdn.length === 0) throw new DerError('a name has an empty RDN');
    return rdn.map(readAttribute);
  });
  const text = rdns
    .slice()
    .reverse()
    .map((rdn) => rdn.map(formatAttribute).reverse().join('+'))
    .join(',');
  return {
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
  return a.matchKey === b.matchKey;
}

function readAttribute(attribute: AttributeTypeAndValue): Attribute {
  const value = attributeText(attribute);
  return {
    type: attribute.type,
    value,
    hex:
      value === null
        ? Buffer.from(AsnConvert.serialize(attribute.value))
            .toString('hex')
            .toUpperCase()
        : '',
  };
}

/** The text of a decoded attribute value; `null` when it has none. */
function attributeText({ value }: AttributeTypeAndValue): string | null {
  if (value.anyValue !== undefined) return null;
  const ascii = value.printableString ?? value.ia5String;
  if (ascii !== undefined) return /[\u0080-\uffff]/.test(ascii) ? null : ascii;
  return (
    value.utf8String ??
    value.bmpString ??
    value.universalString ??
    value.teletexString ??
    null
  );
}

function formatAttribute(attribute: Attribute): string {
  const name = ATTRIBUTE_NAMES.get(attribute.type);
  if (name === undefined || attribute.value === null) {
    return `${attribute.type}=#${attribute.hex}`;
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
  if (attribute.value === null) return `${attribute.type}#${attribute.hex}`;
  const folded = attribute.value
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
  return `${attribute.type}=${folded}`;
}
