import { AsnConvert, type IAsnParseOptions } from '@peculiar/asn1-schema';

/**
 * Structures larger than this are refused unread. Real certificates stay
 * far below: the 2018 EKS ones are under 1 KiB, the largest of the
 * x509-limbo suite (real web certificates with a hundred SANs) 6.3 KiB.
 */
export const MAX_DER_BYTES = 64 * 1024;

/**
 * Resource limits handed to asn1js (through @peculiar/asn1-schema) for
 * every structure a server sent. The library decodes at roughly 20 µs an
 * element, so the element cap bounds one decoding to tens of
 * milliseconds; real certificates have under 500 elements. OCTET STRING
 * and BIT STRING contents are not parsed speculatively: the extension
 * values the verifier needs are decoded one by one through
 * {@link parseDer}, under the same limits.
 */
const PARSE_OPTIONS: IAsnParseOptions = Object.freeze({
  berOptions: Object.freeze({
    maxDepth: 32,
    maxNodes: 4096,
    maxContentLength: MAX_DER_BYTES,
    parseEmbedded: false,
  }),
});

/** Bytes that are not the DER encoding of the expected structure. */
export class DerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DerError';
  }
}

/**
 * Decodes `bytes` as `schema` with @peculiar/asn1-schema and checks that
 * they are exactly the DER encoding of what was decoded.
 *
 * The library reads BER and forgives what DER forbids (indefinite or
 * long-form lengths, explicit DEFAULT values, trailing bytes, malformed
 * times that still yield a date). A certificate is signed over its bytes
 * while its meaning comes from the decoded values, so the two must not be
 * able to differ: the value is encoded again with the same library and
 * must give the input back byte for byte.
 *
 * @throws DerError when the library refuses the bytes or the encoding
 * differs, saying where.
 */
export function parseDer<T>(bytes: Uint8Array, schema: new () => T): T {
  if (bytes.length > MAX_DER_BYTES) {
    throw new DerError(
      `it is ${bytes.length} bytes long, more than the ${MAX_DER_BYTES} accepted`,
    );
  }
  let value: T;
  try {
    value = AsnConvert.parse(bytes, schema, PARSE_OPTIONS);
  } catch (error) {
    throw new DerError(
      `it does not decode as ${article(schema.name)} (${detail(error)})`,
      { cause: error },
    );
  }
  let encoded: Buffer;
  try {
    encoded = Buffer.from(AsnConvert.serialize(value));
  } catch (error) {
    throw new DerError(
      `its ${schema.name} cannot be encoded again (${detail(error)})`,
      { cause: error },
    );
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!encoded.equals(input)) throw new DerError(difference(input, encoded));
  return value;
}

function difference(input: Buffer, encoded: Buffer): string {
  if (
    encoded.length < input.length &&
    input.subarray(0, encoded.length).equals(encoded)
  ) {
    const extra = input.length - encoded.length;
    return `trailing data follows it (${extra} byte${extra === 1 ? '' : 's'})`;
  }
  let index = 0;
  while (index < input.length && input[index] === encoded[index]) index += 1;
  return `it is not DER: its canonical encoding differs from byte ${index} on`;
}

function detail(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = (message.split('\n')[0] ?? '').replace(/\.$/, '');
  return firstLine.length > 160 ? `${firstLine.slice(0, 157)}...` : firstLine;
}

function article(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}
