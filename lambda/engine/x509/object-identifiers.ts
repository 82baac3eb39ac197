/** Object identifiers of the X.509 extensions the verifier knows. */
export const EXTENSION_OID = Object.freeze({
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extendedKeyUsage: '2.5.29.37',
  freshestCrl: '2.5.29.46',
  inhibitAnyPolicy: '2.5.29.54',
  subjectDirectoryAttributes: '2.5.29.9',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  signedCertificateTimestamps: '1.3.6.1.4.1.11129.2.4.2',
} as const);

/** Extended key usage purposes the verifier looks for. */
export const EKU_OID = Object.freeze({
  serverAuth: '1.3.6.1.5.5.7.3.1',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const);

/** How a signature algorithm is checked, and its OpenSSL name. */
export interface SignatureAlgorithmInfo {
  /** OpenSSL's name, for example `sha256WithRSAEncryption`. */
  readonly name: string;
  readonly scheme: 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'eddsa' | 'dsa';
  /** Node's digest name; `null` for EdDSA and for PSS (in the parameters). */
  readonly hash: string | null;
}

/** Signature algorithms by OID (RFC 3279, 4055, 5758, 8410). */
export const SIGNATURE_ALGORITHMS: ReadonlyMap<string, SignatureAlgorithmInfo> =
  new Map<string, SignatureAlgorithmInfo>([
    ['1.2.840.113549.1.1.4', rsa('md5WithRSAEncryption', 'md5')],
    ['1.2.840.113549.1.1.5', rsa('sha1WithRSAEncryption', 'sha1')],
    ['1.2.840.113549.1.1.14', rsa('sha224WithRSAEncryption', 'sha224')],
    ['1.2.840.113549.1.1.11', rsa('sha256WithRSAEncryption', 'sha256')],
    ['1.2.840.113549.1.1.12', rsa('sha384WithRSAEncryption', 'sha384')],
    ['1.2.840.113549.1.1.13', rsa('sha512WithRSAEncryption', 'sha512')],
    [
      '1.2.840.113549.1.1.10',
      { name: 'RSASSA-PSS', scheme: 'rsa-pss', hash: null },
    ],
    ['1.2.840.10045.4.1', ecdsa('ecdsa-with-SHA1', 'sha1')],
    ['1.2.840.10045.4.3.1', ecdsa('ecdsa-with-SHA224', 'sha224')],
    ['1.2.840.10045.4.3.2', ecdsa('ecdsa-with-SHA256', 'sha256')],
    ['1.2.840.10045.4.3.3', ecdsa('ecdsa-with-SHA384', 'sha384')],
    ['1.2.840.10045.4.3.4', ecdsa('ecdsa-with-SHA512', 'sha512')],
    ['1.3.101.112', { name: 'ED25519', scheme: 'eddsa', hash: null }],
    ['1.3.101.113', { name: 'ED448', scheme: 'eddsa', hash: null }],
    ['1.2.840.10040.4.3', { name: 'dsaWithSHA1', scheme: 'dsa', hash: 'sha1' }],
    [
      '2.16.840.1.101.3.4.3.2',
      { name: 'dsa_with_SHA256', scheme: 'dsa', hash: 'sha256' },
    ],
  ]);

/** Digest algorithms by OID, as Node names them (RFC 4055 PSS parameters). */
export const HASH_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['1.3.14.3.2.26', 'sha1'],
  ['2.16.840.1.101.3.4.2.4', 'sha224'],
  ['2.16.840.1.101.3.4.2.1', 'sha256'],
  ['2.16.840.1.101.3.4.2.2', 'sha384'],
  ['2.16.840.1.101.3.4.2.3', 'sha512'],
]);

/** The mask generation function of RSASSA-PSS (RFC 4055). */
export const MGF1_OID = '1.2.840.113549.1.1.8';

/** Public key algorithms by OID. */
export const KEY_ALGORITHM_OID = Object.freeze({
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  dsa: '1.2.840.10040.4.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
} as const);

/** Named elliptic curves and their sizes in bits (RFC 5480). */
export const NAMED_CURVES: ReadonlyMap<string, number> = new Map([
  ['1.2.840.10045.3.1.1', 192],
  ['1.3.132.0.33', 224],
  ['1.2.840.10045.3.1.7', 256],
  ['1.3.132.0.10', 256],
  ['1.3.132.0.34', 384],
  ['1.3.132.0.35', 521],
]);

/**
 * Attribute type names for RFC 4514 strings: the descriptors RFC 4514
 * lists plus the ones OpenSSL prints with `-nameopt RFC2253`; any other
 * type is written as its dotted OID.
 */
export const ATTRIBUTE_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.5', 'serialNumber'],
  ['2.5.4.6', 'C'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.9', 'STREET'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.12', 'title'],
  ['2.5.4.15', 'businessCategory'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.42', 'GN'],
  ['2.5.4.43', 'initials'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.46', 'dnQualifier'],
  ['2.5.4.65', 'pseudonym'],
  ['2.5.4.97', 'organizationIdentifier'],
  ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.2.840.113549.1.9.1', 'emailAddress'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionL'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionST'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionC'],
]);

function rsa(name: string, hash: string): SignatureAlgorithmInfo {
  return { name, scheme: 'rsa-pkcs1', hash };
}

function ecdsa(name: string, hash: string): SignatureAlgorithmInfo {
  return { name, scheme: 'ecdsa', hash };
}
