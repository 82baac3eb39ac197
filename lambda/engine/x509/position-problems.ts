import { sameName } from './distinguished-name.js';
import type { ParsedCertificate } from './parse-certificate.js';
import { verifySignature } from './verify-signature.js';

/**
 * Rules that depend on where a certificate sits on the path: the leaf
 * must not claim to be a CA it cannot be, nor mark its SANs critical
 * beside a subject; an issuer's basic constraints must be critical; a
 * self-signed certificate's authority key identifier must name itself.
 */
export function positionProblems(
  cert: ParsedCertificate,
  index: number,
  pathLength: number,
): string[] {
  const problems: string[] = [];
  const isIssuer = index > 0;
  if (index === 0) {
    // A leaf that is itself the CA of the bundle (a self-signed serving
    // certificate) is trusted as given, as Go and OpenSSL do.
    if (
      pathLength !== 1 &&
      cert.basicConstraints?.ca === true &&
      cert.keyUsage !== null &&
      !cert.keyUsage.has('keyCertSign')
    ) {
      problems.push(
        'it claims to be a CA (CA:TRUE) but its key usage does not allow certificate signing',
      );
    }
    if (cert.subjectAltNameCritical && !cert.subject.isEmpty) {
      problems.push(
        'its subject alternative name extension is critical although its subject is not empty (RFC 5280 4.2.1.6 advises against it, the CA/Browser Forum forbids it)',
      );
    }
  }
  if (
    isIssuer &&
    cert.basicConstraints?.ca &&
    !cert.basicConstraints.critical
  ) {
    problems.push(
      'its basic constraints extension is not critical, which RFC 5280 4.2.1.9 requires of a CA',
    );
  }
  problems.push(...selfSignedProblems(cert));
  return problems;
}

/** A self-signed certificate's authority key identifier must name itself. */
function selfSignedProblems(cert: ParsedCertificate): string[] {
  const aki = cert.authorityKeyIdentifier;
  if (!cert.selfIssued || aki === null) return [];
  const problems: string[] = [];
  const ski = cert.subjectKeyIdentifier;
  if (aki.keyIdentifier && ski && !aki.keyIdentifier.equals(ski)) {
    problems.push(
      'it is self-signed but its authority key identifier differs from its subject key identifier',
    );
  }
  const names = (aki.issuer ?? []).filter((name) => name.type === 'DirName');
  if (
    names.length > 0 &&
    !names.some((name) => sameName(name.name, cert.issuer))
  ) {
    problems.push(
      `it is self-signed but its authority key identifier names another issuer (${names.map((n) => n.text).join(', ')})`,
    );
  }
  if (problems.length === 0) return [];
  return verifySignature(cert, cert).status === 'valid' ? problems : [];
}
