import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(
  webcrypto as unknown as ReturnType<typeof x509.cryptoProvider.get>,
);

/** The key algorithms the factory can make. */
export type KeySpec =
  | { readonly kind: 'RSA'; readonly bits: number }
  | { readonly kind: 'EC'; readonly curve: 'P-256' | 'P-384' | 'P-521' };

/** A certificate with the private key that can sign for it. */
export interface Issued {
  readonly certificate: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
  /** The certificate as one PEM block. */
  readonly pem: string;
  /** The private key as a PKCS #8 PEM block, for `tls.createServer`. */
  readonly keyPem: string;
  /** The certificate's DER bytes. */
  readonly der: Buffer;
}

/** What to put in one certificate; every field has a safe default. */
export interface CertificateSpec {
  /** Distinguished name, for example `CN=kube-apiserver`. */
  readonly subject: string;
  /** Signing certificate and key; absent means self-signed. */
  readonly issuer?: Issued;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** @default { kind: 'RSA', bits: 2048 } */
  readonly key?: KeySpec;
  /** Reuse a key pair (cross-signing, renewals) instead of a new one. */
  readonly keys?: CryptoKeyPair;
  /** Basic constraints CA flag; `undefined` leaves the extension out. */
  readonly ca?: boolean;
  readonly pathLength?: number;
  /** Key usage flags; `undefined` leaves the extension out. */
  readonly keyUsage?: number;
  /** Extended key usage OIDs; `undefined` leaves the extension out. */
  readonly extendedKeyUsage?: readonly string[];
  /** `DNS:name` or `IP:address` entries. */
  readonly subjectAltNames?: readonly string[];
  /** Add subject and authority key identifiers. @default true */
  readonly keyIdentifiers?: boolean;
  /** @default 'SHA-256' */
  readonly hash?: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** Extra extensions, for example an unknown critical one. */
  readonly extraExtensions?: readonly x509.Extension[];
  /** Hexadecimal serial number. @default random */
  readonly serialNumber?: string;
}

/** Key usage bits a CA needs: certificate and CRL signing. */
export const CA_KEY_USAGE =
  x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

/** Key usage bits of a kubeadm-style serving certificate. */
export const SERVER_KEY_USAGE =
  x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;

/** The id-kp-serverAuth and id-kp-clientAuth OIDs. */
export const EKU = Object.freeze({
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
});

/**
 * Creates a key pair for signing certificates and serving TLS.
 *
 * RSA keys take tens of milliseconds each: reuse them where a test
 * builds many certificates.
 */
export async function generateKeys(
  spec: KeySpec = { kind: 'RSA', bits: 2048 },
  hash: CertificateSpec['hash'] = 'SHA-256',
): Promise<CryptoKeyPair> {
  const algorithm =
    spec.kind === 'RSA'
      ? {
          name: 'RSASSA-PKCS1-v1_5',
          hash,
          publicExponent: new Uint8Array([1, 0, 1]),
          modulusLength: spec.bits,
        }
      : { name: 'ECDSA', namedCurve: spec.curve };
  return webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ]) as Promise<CryptoKeyPair>;
}

/**
 * Issues one certificate from a spec, signed by its issuer or by itself.
 *
 * Meant for tests, the demo fleet and benchmarks: it makes whatever it is
 * asked for, including certificates that no real CA would sign.
 */
export async function issueCertificate(spec: CertificateSpec): Promise<Issued> {
  const hash = spec.hash ?? 'SHA-256';
  const keys = spec.keys ?? (await generateKeys(spec.key, hash));
  const signer = spec.issuer?.keys ?? keys;
  const extensions: x509.Extension[] = [];

  if (spec.ca !== undefined) {
    extensions.push(
      new x509.BasicConstraintsExtension(spec.ca, spec.pathLength, true),
    );
  }
  if (spec.keyUsage !== undefined) {
    extensions.push(new x509.KeyUsagesExtension(spec.keyUsage, true));
  }
  if (spec.extendedKeyUsage !== undefined) {
    extensions.push(
      new x509.ExtendedKeyUsageExtension([...spec.extendedKeyUsage], false),
    );
  }
  if (spec.subjectAltNames !== undefined && spec.subjectAltNames.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        spec.subjectAltNames.map(toGeneralName),
        false,
      ),
    );
  }
  if (spec.keyIdentifiers ?? true) {
    extensions.push(
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    );
    extensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(signer.publicKey),
    );
  }
  extensions.push(...(spec.extraExtensions ?? []));

  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serialNumber ?? randomSerial(),
    subject: spec.subject,
    issuer: spec.issuer?.certificate.subject ?? spec.subject,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: keys.publicKey,
    signingKey: signer.privateKey,
    signingAlgorithm: signingAlgorithmFor(signer.privateKey, hash),
    extensions,
  });
  return toIssued(certificate, keys);
}

function toGeneralName(entry: string): { type: 'dns' | 'ip'; value: string } {
  if (entry.startsWith('DNS:')) return { type: 'dns', value: entry.slice(4) };
  if (entry.startsWith('IP:')) return { type: 'ip', value: entry.slice(3) };
  throw new Error(
    `subject alternative name must start with DNS: or IP:, got ${entry}`,
  );
}

function signingAlgorithmFor(
  key: CryptoKey,
  hash: string,
): webcrypto.Algorithm | webcrypto.EcdsaParams {
  if (key.algorithm.name === 'ECDSA')
    return { name: 'ECDSA', hash } as webcrypto.EcdsaParams;
  return { name: 'RSASSA-PKCS1-v1_5', hash } as webcrypto.Algorithm;
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  bytes[0] = (bytes[0] ?? 0) | 0x10;
  return Buffer.from(bytes).toString('hex');
}

async function toIssued(
  certificate: x509.X509Certificate,
  keys: CryptoKeyPair,
): Promise<Issued> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return {
    certificate,
    keys,
    pem: certificate.toString('pem'),
    keyPem,
    der: Buffer.from(certificate.rawData),
  };
}

/** Options for a kubeadm-style CA and API server certificate pair. */
export interface ClusterChainSpec {
  /** The moment the chain is built around (a pinned clock in tests). */
  readonly now: Date;
  /** EKS-style endpoint host name placed in the leaf's SANs. */
  readonly host: string;
  /** Days the leaf still has at `now`; negative for an expired leaf. */
  readonly leafDaysLeft?: number;
  /** Days the CA still has at `now`. @default 3000 */
  readonly caDaysLeft?: number;
  readonly key?: KeySpec;
  /** Give the CA key identifiers. @default false, like the 2018 EKS CAs */
  readonly caKeyIdentifiers?: boolean;
  /** Sign the leaf with this CA instead of a new one. */
  readonly ca?: Issued;
}

/** A CA and the serving certificate it signed. */
export interface ClusterChain {
  readonly ca: Issued;
  readonly leaf: Issued;
}

const DAY_MS = 86_400_000;

/**
 * Builds a `CN=kubernetes` CA and a `CN=kube-apiserver` leaf with the SANs
 * an EKS API server carries, with lifetimes relative to `now`.
 */
export async function buildClusterChain(
  spec: ClusterChainSpec,
): Promise<ClusterChain> {
  const key = spec.key ?? { kind: 'EC', curve: 'P-256' };
  const caDaysLeft = spec.caDaysLeft ?? 3000;
  const leafDaysLeft = spec.leafDaysLeft ?? 200;
  const ca =
    spec.ca ??
    (await issueCertificate({
      subject: 'CN=kubernetes',
      notBefore: new Date(spec.now.getTime() - 400 * DAY_MS),
      notAfter: new Date(spec.now.getTime() + caDaysLeft * DAY_MS),
      key,
      ca: true,
      keyUsage: CA_KEY_USAGE | x509.KeyUsageFlags.digitalSignature,
      keyIdentifiers: spec.caKeyIdentifiers ?? false,
    }));
  const leaf = await issueCertificate({
    subject: 'CN=kube-apiserver',
    issuer: ca,
    notBefore: new Date(
      Math.min(
        spec.now.getTime() - DAY_MS,
        spec.now.getTime() + (leafDaysLeft - 365) * DAY_MS,
      ),
    ),
    notAfter: new Date(spec.now.getTime() + leafDaysLeft * DAY_MS),
    key,
    keyUsage: SERVER_KEY_USAGE,
    extendedKeyUsage: [EKU.serverAuth],
    subjectAltNames: [
      'DNS:ip-10-0-54-116.us-west-2.compute.internal',
      'DNS:kubernetes',
      'DNS:kubernetes.default',
      'DNS:kubernetes.default.svc',
      'DNS:kubernetes.default.svc.cluster.local',
      `DNS:${spec.host.toLowerCase()}`,
      'IP:10.100.0.1',
    ],
    keyIdentifiers: false,
  });
  return { ca, leaf };
}

/** Base64 of the CA's PEM, the way DescribeCluster returns CA data. */
export function toCaData(...cas: readonly Issued[]): string {
  const pem = cas.map((ca) => `${ca.pem.trimEnd()}\n`).join('');
  return Buffer.from(pem).toString('base64');
}
