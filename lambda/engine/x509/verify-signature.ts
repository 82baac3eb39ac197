import { constants, verify } from 'node:crypto';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  HASH_ALGORITHMS,
  MGF1_OID,
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithmInfo,
} from './object-identifiers.js';
import type { ParsedCertificate } from './parse-certificate.js';
import { parseDer } from './parse-der.js';

/** The outcome of checking one certificate's signature with a key. */
export type SignatureCheck =
  | { readonly status: 'valid' }
  | { readonly status: 'invalid'; readonly detail: string }
  | { readonly status: 'unsupported'; readonly detail: string };

/** How a certificate is signed: OpenSSL's name and the digest used. */
export interface SignatureDescription {
  readonly name: string;
  /** Node digest name (`sha256`), or `null` when not known or EdDSA. */
  readonly hash: string | null;
}

/** Names a certificate's signature algorithm the way OpenSSL does. */
export function describeSignature(
  certificate: ParsedCertificate,
): SignatureDescription {
  const algorithm = certificate.signatureAlgorithm;
  const info = SIGNATURE_ALGORITHMS.get(algorithm.algorithm);
  if (info === undefined) return { name: algorithm.algorithm, hash: null };
  if (info.scheme !== 'rsa-pss') return { name: info.name, hash: info.hash };
  try {
    return {
      name: info.name,
      hash: readPssParameters(algorithm.parameters).hash,
    };
  } catch {
    return { name: info.name, hash: null };
  }
}

/**
 * Checks that `issuer`'s key made `child`'s signature. Only the
 * signature: names, dates and constraints are the path rules' business.
 * DSA, explicit EC curves and unknown algorithms come back `unsupported`.
 */
export function verifySignature(
  child: ParsedCertificate,
  issuer: ParsedCertificate,
): SignatureCheck {
  const algorithm = child.signatureAlgorithm;
  const info = SIGNATURE_ALGORITHMS.get(algorithm.algorithm);
  if (info === undefined) {
    return unsupported(`signature algorithm ${algorithm.algorithm} is unknown`);
  }
  if (!algorithm.isEqual(child.tbsSignatureAlgorithm)) {
    return invalid('the two signature algorithm fields differ');
  }
  const key = issuer.publicKey;
  if (key.key === null) {
    return unsupported(key.unusable ?? 'its key cannot be loaded');
  }
  const mismatch = keyMismatch(info, key.keyType, algorithm.algorithm);
  if (mismatch !== null) return invalid(mismatch);
  try {
    const options = signOptions(info, algorithm.parameters);
    const ok = verify(
      options.hash,
      child.tbs,
      { key: key.key, ...options.key },
      child.signatureValue,
    );
    return ok ? { status: 'valid' } : invalid('the signature does not verify');
  } catch (error) {
    if (error instanceof UnsupportedParameters)
      return unsupported(error.message);
    const detail = error instanceof Error ? error.message : String(error);
    return invalid(`the signature cannot be checked (${detail})`);
  }
}

class UnsupportedParameters extends Error {}

function keyMismatch(
  info: SignatureAlgorithmInfo,
  keyType: string,
  oid: string,
): string | null {
  const expected: Record<SignatureAlgorithmInfo['scheme'], string | null> = {
    'rsa-pkcs1': 'RSA',
    'rsa-pss': 'RSA',
    ecdsa: 'EC',
    eddsa: oid === '1.3.101.112' ? 'Ed25519' : 'Ed448',
    dsa: null,
  };
  const wanted = expected[info.scheme];
  if (wanted === null) return `${info.name} signatures are not accepted`;
  return wanted === keyType
    ? null
    : `a ${info.name} signature cannot come from an ${keyType} key`;
}

interface SignOptions {
  readonly hash: string | null;
  readonly key: { padding?: number; saltLength?: number; dsaEncoding?: 'der' };
}

function signOptions(
  info: SignatureAlgorithmInfo,
  parameters: AlgorithmParameters,
): SignOptions {
  switch (info.scheme) {
    case 'rsa-pkcs1':
      // RFC 4055 5: the parameters are NULL; absent is tolerated, as
      // OpenSSL and Go do.
      if (parameters !== undefined && parameters !== null) {
        throw new UnsupportedParameters('unexpected RSA signature parameters');
      }
      return { hash: info.hash, key: { padding: constants.RSA_PKCS1_PADDING } };
    case 'rsa-pss': {
      const pss = readPssParameters(parameters);
      return {
        hash: pss.hash,
        key: {
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: pss.saltLength,
        },
      };
    }
    case 'ecdsa':
      return { hash: info.hash, key: { dsaEncoding: 'der' } };
    default:
      return { hash: null, key: {} };
  }
}

/** AlgorithmIdentifier parameters as @peculiar/asn1-x509 decodes them. */
type AlgorithmParameters = AlgorithmIdentifier['parameters'];

/**
 * RSASSA-PSS-params (RFC 4055 3.1) through @peculiar/asn1-rsa, whose
 * schema fills in the defaults (SHA-1, MGF1 with SHA-1, salt 20, trailer
 * 1); MGF1 must use the same digest as the signature.
 */
function readPssParameters(parameters: AlgorithmParameters): {
  readonly hash: string;
  readonly saltLength: number;
} {
  if (!(parameters instanceof ArrayBuffer)) {
    throw new UnsupportedParameters('RSASSA-PSS without parameters');
  }
  const pss = parseDer(new Uint8Array(parameters), RsaSaPssParams);
  const mask = pss.maskGenAlgorithm;
  if (
    mask.algorithm !== MGF1_OID ||
    !(mask.parameters instanceof ArrayBuffer)
  ) {
    throw new UnsupportedParameters('RSASSA-PSS mask is not MGF1');
  }
  if (pss.trailerField !== 1) {
    throw new UnsupportedParameters('RSASSA-PSS trailer field is not 1');
  }
  const maskHash = parseDer(
    new Uint8Array(mask.parameters),
    AlgorithmIdentifier,
  );
  const hash = HASH_ALGORITHMS.get(pss.hashAlgorithm.algorithm);
  if (hash === undefined || HASH_ALGORITHMS.get(maskHash.algorithm) !== hash) {
    throw new UnsupportedParameters(
      'RSASSA-PSS digest and MGF1 digest must be the same known digest',
    );
  }
  if (!Number.isSafeInteger(pss.saltLength) || pss.saltLength < 0) {
    throw new UnsupportedParameters('RSASSA-PSS salt length is out of range');
  }
  return { hash, saltLength: pss.saltLength };
}

function invalid(detail: string): SignatureCheck {
  return { status: 'invalid', detail };
}

function unsupported(detail: string): SignatureCheck {
  return { status: 'unsupported', detail };
}
