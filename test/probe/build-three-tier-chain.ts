import {
  CA_KEY_USAGE,
  EKU,
  type Issued,
  issueCertificate,
  type KeySpec,
  SERVER_KEY_USAGE,
} from '../../lambda/demo/certificate-factory.js';
import type { ServedChain } from '../../lambda/demo/local-tls-server.js';

const DAY_MS = 86_400_000;

/** A root, an intermediate and a leaf for one host, and what a server sends. */
export interface ThreeTierChain {
  readonly root: Issued;
  readonly intermediate: Issued;
  readonly leaf: Issued;
  /** Leaf and intermediate, as a server usually sends them. */
  readonly served: ServedChain;
}

/** Builds a three-tier chain for `host` with lifetimes around `now`. */
export async function buildThreeTierChain(
  now: Date,
  host: string,
  key: KeySpec,
): Promise<ThreeTierChain> {
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const root = await issueCertificate({
    subject: 'CN=probe test root',
    notBefore: at(-400),
    notAfter: at(3000),
    key,
    ca: true,
    keyUsage: CA_KEY_USAGE,
  });
  const intermediate = await issueCertificate({
    subject: 'CN=probe test intermediate',
    issuer: root,
    notBefore: at(-300),
    notAfter: at(2000),
    key,
    ca: true,
    pathLength: 0,
    keyUsage: CA_KEY_USAGE,
  });
  const leaf = await issueCertificate({
    subject: 'CN=kube-apiserver',
    issuer: intermediate,
    notBefore: at(-1),
    notAfter: at(200),
    key,
    keyUsage: SERVER_KEY_USAGE,
    extendedKeyUsage: [EKU.serverAuth],
    subjectAltNames: [`DNS:${host.toLowerCase()}`, 'DNS:kubernetes'],
  });
  return {
    root,
    intermediate,
    leaf,
    served: { keyPem: leaf.keyPem, certPems: [leaf.pem, intermediate.pem] },
  };
}
