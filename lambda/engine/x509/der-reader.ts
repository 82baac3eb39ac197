/**
 * A small strict reader for the DER subset that X.509 certificates use:
 * single-byte tags, definite minimal lengths, nothing past the end.
 *
 * Certificates come from servers we audit, so every length is checked
 * against its container before anything is read.
 */

/** Universal and context tags (the whole identifier octet) we read. */
export const TAG = Object.freeze({
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  visibleString: 0x1a,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const);

/** One DER element and views of its bytes. */
export interface DerElement {
  /** The identifier octet. */
  readonly tag: number;
  /** The whole element: identifier, length and content. */
  readonly bytes: Buffer;
  /** The content octets only. */
  readonly content: Buffer;
}

/** A DER structure that breaks the encoding rules; `message` says where. */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** The element at `offset`, which must end within `buffer`. */
export function readElement(buffer: Buffer, offset: number): DerElement {
  if (offset + 2 > buffer.length) throw new DerError('truncated element');
  const tag = buffer[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used');
  const first = buffer[offset + 1] as number;
  let length = first;
  let headerLength = 2;
  if (first === 0x80) throw new DerError('indefinite length is not DER');
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4) throw new DerError('length field too long');
    if (offset + 2 + count > buffer.length) {
      throw new DerError('truncated length');
    }
    length = 0;
    for (let i = 0; i < count; i += 1) {
      length = length * 256 + (buffer[offset + 2 + i] as number);
    }
    if (buffer[offset + 2] === 0 || length < 0x80) {
      throw new DerError('length not minimally encoded');
    }
    headerLength = 2 + count;
  }
  const end = offset + headerLength + length;
  if (end > buffer.length) throw new DerError('element longer than its data');
  return {
    tag,
    bytes: buffer.subarray(offset, end),
    content: buffer.subarray(offset + headerLength, end),
  };
}

/** The single element that makes up all of `buffer`. */
export function readOnly(buffer: Buffer, expectedTag?: number): DerElement {
  const element = readElement(buffer, 0);
  if (element.bytes.length !== buffer.length) {
    throw new DerError('trailing data after the element');
  }
  if (expectedTag !== undefined) expectTag(element, expectedTag);
  return element;
}

/** The elements inside a constructed element, in order. */
export function readChildren(element: DerElement): DerElement[] {
  if ((element.tag & 0x20) === 0) {
    throw new DerError(`tag 0x${hex(element.tag)} is not constructed`);
  }
  const children: DerElement[] = [];
  let offset = 0;
  while (offset < element.content.length) {
    const child = readElement(element.content, offset);
    children.push(child);
    offset += child.bytes.length;
  }
  return children;
}

/** Throws unless the element has the tag. */
export function expectTag(element: DerElement, tag: number): DerElement {
  if (element.tag !== tag) {
    throw new DerError(`expected tag 0x${hex(tag)}, got 0x${hex(element.tag)}`);
  }
  return element;
}

/** Dotted decimal form of an OBJECT IDENTIFIER. */
export function readOid(element: DerElement): string {
  expectTag(element, TAG.oid);
  const bytes = element.content;
  if (bytes.length === 0) throw new DerError('empty object identifier');
  if (((bytes[bytes.length - 1] as number) & 0x80) !== 0) {
    throw new DerError('truncated object identifier');
  }
  const arcs: bigint[] = [];
  let value = 0n;
  let fresh = true;
  for (const byte of bytes) {
    if (fresh && byte === 0x80) {
      throw new DerError('object identifier arc not minimally encoded');
    }
    value = (value << 7n) | BigInt(byte & 0x7f);
    fresh = (byte & 0x80) === 0;
    if (fresh) {
      arcs.push(value);
      value = 0n;
    }
  }
  const head = arcs[0] as bigint;
  const first = head < 40n ? 0n : head < 80n ? 1n : 2n;
  return [first, head - first * 40n, ...arcs.slice(1)].join('.');
}

/** A non-negative INTEGER small enough for a number (path lengths). */
export function readSmallInteger(element: DerElement): number {
  expectTag(element, TAG.integer);
  const bytes = element.content;
  if (bytes.length === 0 || bytes.length > 6) {
    throw new DerError('integer out of range');
  }
  if (((bytes[0] as number) & 0x80) !== 0) {
    throw new DerError('negative integer');
  }
  return bytes.reduce((sum, byte) => sum * 256 + byte, 0);
}

/** A BOOLEAN; DER wants 0xFF for true, any non-zero octet is taken. */
export function readBoolean(element: DerElement): boolean {
  expectTag(element, TAG.boolean);
  if (element.content.length !== 1) throw new DerError('boolean not 1 octet');
  return element.content[0] !== 0;
}

/** The octets of a BIT STRING and how many trailing bits are unused. */
export function readBitString(element: DerElement): {
  readonly unusedBits: number;
  readonly bytes: Buffer;
} {
  expectTag(element, TAG.bitString);
  if (element.content.length === 0) throw new DerError('empty bit string');
  const unusedBits = element.content[0] as number;
  if (unusedBits > 7 || (unusedBits > 0 && element.content.length === 1)) {
    throw new DerError('bad unused-bits count in bit string');
  }
  return { unusedBits, bytes: element.content.subarray(1) };
}

/**
 * A UTCTime or GeneralizedTime in the forms RFC 5280 4.1.2.5 allows:
 * `YYMMDDHHMMSSZ` (years 1950 to 2049) and `YYYYMMDDHHMMSSZ`.
 */
export function readTime(element: DerElement): Date {
  const text = element.content.toString('latin1');
  const pattern =
    element.tag === TAG.utcTime
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/
      : element.tag === TAG.generalizedTime
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/
        : null;
  const match = pattern?.exec(text);
  if (!match) throw new DerError(`time not in RFC 5280 form: ${text}`);
  const [year, month, day, hour, minute, second] = match
    .slice(1)
    .map(Number) as [number, number, number, number, number, number];
  const fullYear =
    element.tag === TAG.utcTime ? (year < 50 ? 2000 : 1900) + year : year;
  const millis = Date.UTC(fullYear, month - 1, day, hour, minute, second);
  const check = new Date(millis);
  if (
    check.getUTCFullYear() !== fullYear ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new DerError(`time is not a calendar date: ${text}`);
  }
  return check;
}

function hex(value: number): string {
  return value.toString(16).padStart(2, '0');
}
