import { constants, verify } from 'node:crypto';
import {
  type DerElement,
  DerError,
  expectTag,
  readChildren,
  readOid,
  readOnly,
  readSmallInteger,
  TAG,
} from './der-reader.js';
import {
  HASH_ALGORITHMS,
  MGF1_OID,
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithmInfo,
} from './object-identifiers.js';
import type { ParsedCertificate } from './parse-certificate.js';

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
  const info = SIGNATURE_ALGORITHMS.get(algorithm.oid);
  if (info === undefined) return { name: algorithm.oid, hash: null };
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
  const info = SIGNATURE_ALGORITHMS.get(algorithm.oid);
  if (info === undefined) {
    return unsupported(`signature algorithm ${algorithm.oid} is unknown`);
  }
  if (!algorithm.der.equals(child.tbsSignatureAlgorithm.der)) {
    return invalid('the two signature algorithm fields differ');
  }
  const key = issuer.publicKey;
  if (key.key === null) {
    return unsupported(key.unusable ?? 'its key cannot be loaded');
  }
  const mismatch = keyMismatch(info, key.keyType, algorithm.oid);
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
  parameters: DerElement | undefined,
): SignOptions {
  switch (info.scheme) {
    case 'rsa-pkcs1':
      if (parameters !== undefined && parameters.tag !== TAG.null) {
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

/** RSASSA-PSS-params (RFC 4055 3.1); MGF1 must use the same digest. */
function readPssParameters(parameters: DerElement | undefined): {
  readonly hash: string;
  readonly saltLength: number;
} {
  if (parameters === undefined) {
    throw new UnsupportedParameters('RSASSA-PSS without parameters');
  }
  let hashOid = '1.3.14.3.2.26';
  let mgfHashOid = '1.3.14.3.2.26';
  let saltLength = 20;
  for (const field of readChildren(expectTag(parameters, TAG.sequence))) {
    const inner = readOnly(field.content);
    if (field.tag === 0xa0) hashOid = algorithmOid(inner);
    else if (field.tag === 0xa1) {
      const [mgf, mgfParameters] = readChildren(expectTag(inner, TAG.sequence));
      if (mgf === undefined || readOid(mgf) !== MGF1_OID || !mgfParameters) {
        throw new UnsupportedParameters('RSASSA-PSS mask is not MGF1');
      }
      mgfHashOid = algorithmOid(mgfParameters);
    } else if (field.tag === 0xa2) saltLength = readSmallInteger(inner);
    else if (field.tag === 0xa3 && readSmallInteger(inner) !== 1) {
      throw new UnsupportedParameters('RSASSA-PSS trailer field is not 1');
    }
  }
  const hash = HASH_ALGORITHMS.get(hashOid);
  if (hash === undefined || HASH_ALGORITHMS.get(mgfHashOid) !== hash) {
    throw new UnsupportedParameters(
      'RSASSA-PSS digest and MGF1 digest must be the same known digest',
    );
  }
  return { hash, saltLength };
}

function algorithmOid(element: DerElement): string {
  const [oid] = readChildren(expectTag(element, TAG.sequence));
  if (oid === undefined) throw new DerError('empty algorithm identifier');
  return readOid(oid);
}

function invalid(detail: string): SignatureCheck {
  return { status: 'invalid', detail };
}

function unsupported(detail: string): SignatureCheck {
  return { status: 'unsupported', detail };
}
