import { createPublicKey, type KeyObject } from 'node:crypto';
import { ECParameters } from '@peculiar/asn1-ecc';
import { RSAPublicKey } from '@peculiar/asn1-rsa';
import { AsnConvert } from '@peculiar/asn1-schema';
import type { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { KEY_ALGORITHM_OID, NAMED_CURVES } from './object-identifiers.js';
import { parseDer } from './parse-der.js';

/** RSA moduli above this are refused: verifying them costs too much. */
export const MAX_RSA_BITS = 8192;

/** Largest RSA public exponent accepted, as in Go's crypto/x509. */
export const MAX_RSA_EXPONENT = 2n ** 31n - 1n;

/**
 * What a certificate's subjectPublicKeyInfo holds. For EC and EdDSA keys
 * `key` and `unusable` are worked out when first read: only issuers' keys
 * are ever used, and OpenSSL's SPKI decoder takes about 0.1 ms a key. RSA
 * keys load at once from their PKCS #1 form, which takes microseconds and
 * gives their size.
 */
export interface PublicKeyInfo {
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

/**
 * Describes a SubjectPublicKeyInfo that @peculiar/asn1-x509 decoded; Node's
 * crypto (OpenSSL) loads the key and measures RSA and DSA moduli. The EC
 * curve comes from the algorithm parameters (@peculiar/asn1-ecc), so only
 * the named curves of RFC 5480 are accepted.
 */
export function readPublicKey(spki: SubjectPublicKeyInfo): PublicKeyInfo {
  const oid = spki.algorithm.algorithm;
  switch (oid) {
    case KEY_ALGORITHM_OID.rsaEncryption:
      return readRsa(spki);
    case KEY_ALGORITHM_OID.rsassaPss:
      return readRsaPss(spki);
    case KEY_ALGORITHM_OID.ecPublicKey:
      return readEc(spki);
    case KEY_ALGORITHM_OID.ed25519:
      return lazyKey(spki, 'Ed25519', 256);
    case KEY_ALGORITHM_OID.ed448:
      return lazyKey(spki, 'Ed448', 448);
    case KEY_ALGORITHM_OID.dsa:
      return unusableKey(
        'DSA',
        loadKey(spki, 'spki').key?.asymmetricKeyDetails?.modulusLength ?? null,
        'DSA keys are not accepted (TLS 1.3 removed DSA)',
      );
    default:
      return unusableKey(
        oid,
        null,
        `its key algorithm ${oid} is not supported`,
      );
  }
}

/**
 * An rsaEncryption key. Its subjectPublicKey is a PKCS #1 RSAPublicKey,
 * which OpenSSL loads about thirty times faster than the whole SPKI but
 * reads leniently (trailing bytes, long-form lengths): it is held to DER
 * through @peculiar/asn1-rsa first, as the rest of the certificate is.
 */
function readRsa(spki: SubjectPublicKeyInfo): PublicKeyInfo {
  let loaded: LoadResult;
  try {
    parseDer(new Uint8Array(spki.subjectPublicKey), RSAPublicKey);
    loaded = loadKey(spki, 'pkcs1');
  } catch (error) {
    loaded = { key: null, error: errorText(error) };
  }
  if (loaded.key === null) {
    const problem = `its public key cannot be decoded (${loaded.error})`;
    return unusableKey('RSA', null, problem, [problem]);
  }
  return rsaKey(
    loaded.key,
    loaded.key.asymmetricKeyDetails?.modulusLength ?? null,
  );
}

/** An id-RSASSA-PSS key, loaded as SPKI so that OpenSSL keeps it to PSS. */
function readRsaPss(spki: SubjectPublicKeyInfo): PublicKeyInfo {
  const loaded = loadKey(spki, 'spki');
  if (loaded.key === null) {
    return unusableKey(
      'RSA',
      null,
      `its RSA key cannot be loaded (${loaded.error})`,
    );
  }
  return rsaKey(
    loaded.key,
    loaded.key.asymmetricKeyDetails?.modulusLength ?? null,
  );
}

function rsaKey(key: KeyObject, keyBits: number | null): PublicKeyInfo {
  if (keyBits !== null && keyBits > MAX_RSA_BITS) {
    return unusableKey(
      'RSA',
      keyBits,
      `its RSA key has ${keyBits} bits, more than the ${MAX_RSA_BITS} this verifier accepts`,
    );
  }
  // A huge public exponent makes every signature check slow (seconds over
  // a hostile chain) and is never used in practice; Go refuses exponents
  // above 2^31 - 1 for the same reason.
  const exponent = key.asymmetricKeyDetails?.publicExponent;
  if (exponent !== undefined && exponent > MAX_RSA_EXPONENT) {
    return unusableKey(
      'RSA',
      keyBits,
      `its RSA public exponent has ${exponent.toString(2).length} bits, more than the 31 this verifier accepts`,
    );
  }
  return { keyType: 'RSA', keyBits, key, unusable: null, problems: [] };
}

function readEc(spki: SubjectPublicKeyInfo): PublicKeyInfo {
  const { parameters } = spki.algorithm;
  let curve: string | undefined;
  try {
    curve =
      parameters instanceof ArrayBuffer
        ? parseDer(new Uint8Array(parameters), ECParameters).namedCurve
        : undefined;
  } catch (error) {
    const problem = `its public key cannot be decoded (${errorText(error)})`;
    return unusableKey('EC', null, problem, [problem]);
  }
  if (curve === undefined) {
    const problem =
      'its EC key uses explicit curve parameters instead of a named curve, which RFC 5480 2.1.1 forbids';
    return unusableKey('EC', null, problem, [problem]);
  }
  const keyBits = NAMED_CURVES.get(curve);
  if (keyBits === undefined) {
    return unusableKey('EC', null, `its EC curve ${curve} is not supported`);
  }
  return lazyKey(spki, 'EC', keyBits);
}

/** A key of a known size whose loading waits until it is needed. */
function lazyKey(
  spki: SubjectPublicKeyInfo,
  keyType: string,
  keyBits: number,
): PublicKeyInfo {
  let loaded: LoadResult | undefined;
  const load = () => {
    loaded ??= loadKey(spki, 'spki');
    return loaded;
  };
  return {
    keyType,
    keyBits,
    problems: [],
    get key() {
      return load().key;
    },
    get unusable() {
      const { error } = load();
      return error === null
        ? null
        : `its ${keyType} key cannot be loaded (${error})`;
    },
  };
}

type LoadResult =
  | { readonly key: KeyObject; readonly error: null }
  | { readonly key: null; readonly error: string };

function loadKey(
  spki: SubjectPublicKeyInfo,
  type: 'spki' | 'pkcs1',
): LoadResult {
  try {
    const key = Buffer.from(
      type === 'pkcs1' ? spki.subjectPublicKey : AsnConvert.serialize(spki),
    );
    return { key: createPublicKey({ key, format: 'der', type }), error: null };
  } catch (error) {
    return { key: null, error: errorText(error) };
  }
}

function unusableKey(
  keyType: string,
  keyBits: number | null,
  unusable: string,
  problems: readonly string[] = [],
): PublicKeyInfo {
  return { keyType, keyBits, key: null, unusable, problems };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
