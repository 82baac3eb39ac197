import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  type DerElement,
  DerError,
  expectTag,
  readBitString,
  readChildren,
  readOid,
  readOnly,
  TAG,
} from './der-reader.js';
import { KEY_ALGORITHM_OID, NAMED_CURVES } from './object-identifiers.js';

/** RSA moduli above this are refused: verifying them costs too much. */
export const MAX_RSA_BITS = 8192;

/** What a certificate's subjectPublicKeyInfo holds. */
export interface PublicKeyInfo {
  /** The encoded SubjectPublicKeyInfo. */
  readonly der: Buffer;
  /** `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the algorithm's OID. */
  readonly keyType: string;
  /** Modulus bits for RSA and DSA, curve bits for EC, `null` if unknown. */
  readonly keyBits: number | null;
  /** The key, ready to check signatures; `null` when it cannot. */
  readonly key: KeyObject | null;
  /** Why the key cannot check signatures, or `null`. */
  readonly unusable: string | null;
  /** Encoding rules the key breaks (reported as a malformed certificate). */
  readonly problems: readonly string[];
}

/** Describes and loads a SubjectPublicKeyInfo element. */
export function readPublicKey(element: DerElement): PublicKeyInfo {
  expectTag(element, TAG.sequence);
  const [algorithm, bits] = readChildren(element);
  if (algorithm === undefined || bits === undefined) {
    throw new DerError('public key info is incomplete');
  }
  const [oidElement, parameters] = readChildren(
    expectTag(algorithm, TAG.sequence),
  );
  if (oidElement === undefined) throw new DerError('empty key algorithm');
  const oid = readOid(oidElement);
  const keyBytes = readBitString(bits).bytes;
  const shape = describeSafely(oid, parameters, keyBytes);
  if (shape.unusable !== null)
    return { der: element.bytes, key: null, ...shape };
  try {
    const key = createPublicKey({
      key: element.bytes,
      format: 'der',
      type: 'spki',
    });
    return { der: element.bytes, key, ...shape };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      der: element.bytes,
      key: null,
      ...shape,
      unusable: `its ${shape.keyType} key cannot be loaded (${reason})`,
    };
  }
}

type KeyShape = Omit<PublicKeyInfo, 'der' | 'key'>;

function describeSafely(
  oid: string,
  parameters: DerElement | undefined,
  keyBytes: Buffer,
): KeyShape {
  try {
    return describe(oid, parameters, keyBytes);
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
    const problem = `its public key cannot be decoded (${error.message})`;
    return {
      keyType: oid === KEY_ALGORITHM_OID.rsaEncryption ? 'RSA' : oid,
      keyBits: null,
      unusable: problem,
      problems: [problem],
    };
  }
}

function describe(
  oid: string,
  parameters: DerElement | undefined,
  keyBytes: Buffer,
): KeyShape {
  switch (oid) {
    case KEY_ALGORITHM_OID.rsaEncryption:
    case KEY_ALGORITHM_OID.rsassaPss:
      return describeRsa(keyBytes);
    case KEY_ALGORITHM_OID.ecPublicKey:
      return describeEc(parameters);
    case KEY_ALGORITHM_OID.ed25519:
      return usable('Ed25519', 256);
    case KEY_ALGORITHM_OID.ed448:
      return usable('Ed448', 448);
    case KEY_ALGORITHM_OID.dsa:
      return {
        keyType: 'DSA',
        keyBits: dsaBits(parameters),
        unusable: 'DSA keys are not accepted (TLS 1.3 removed DSA)',
        problems: [],
      };
    default:
      return {
        keyType: oid,
        keyBits: null,
        unusable: `its key algorithm ${oid} is not supported`,
        problems: [],
      };
  }
}

function usable(keyType: string, keyBits: number | null): KeyShape {
  return { keyType, keyBits, unusable: null, problems: [] };
}

function describeRsa(keyBytes: Buffer): KeyShape {
  const [modulus] = readChildren(readOnly(keyBytes, TAG.sequence));
  if (modulus === undefined) throw new DerError('RSA key has no modulus');
  const keyBits = unsignedBits(expectTag(modulus, TAG.integer).content);
  if (keyBits > MAX_RSA_BITS) {
    return {
      keyType: 'RSA',
      keyBits,
      unusable: `its RSA key has ${keyBits} bits, more than the ${MAX_RSA_BITS} this verifier accepts`,
      problems: [],
    };
  }
  return usable('RSA', keyBits);
}

function describeEc(parameters: DerElement | undefined): KeyShape {
  if (parameters === undefined || parameters.tag !== TAG.oid) {
    const problem =
      'its EC key uses explicit curve parameters instead of a named curve, which RFC 5480 2.1.1 forbids';
    return {
      keyType: 'EC',
      keyBits: null,
      unusable: problem,
      problems: [problem],
    };
  }
  const curve = readOid(parameters);
  const keyBits = NAMED_CURVES.get(curve);
  if (keyBits === undefined) {
    return {
      keyType: 'EC',
      keyBits: null,
      unusable: `its EC curve ${curve} is not supported`,
      problems: [],
    };
  }
  return usable('EC', keyBits);
}

function dsaBits(parameters: DerElement | undefined): number | null {
  if (parameters === undefined || parameters.tag !== TAG.sequence) return null;
  const [prime] = readChildren(parameters);
  return prime?.tag === TAG.integer ? unsignedBits(prime.content) : null;
}

/** Bit length of a big-endian unsigned integer. */
function unsignedBits(bytes: Buffer): number {
  let index = 0;
  while (index < bytes.length && bytes[index] === 0) index += 1;
  if (index === bytes.length) return 0;
  const top = bytes[index] as number;
  return (bytes.length - index - 1) * 8 + (32 - Math.clz32(top));
}
