import { createHash } from 'node:crypto';
import type { ClusterAlertState } from '../../lambda/alerts/alert-state.js';
import { previewEmail } from '../../lambda/alerts/plan-run.js';
import type {
  CertificateAuthorityFacts,
  CertificateFacts,
  ClusterReport,
} from '../../lambda/engine/types.js';
import {
  ACCOUNT,
  authority,
  certificate,
  cluster,
  NOW,
  reason,
  report,
} from './report-fixtures.js';

/** A fingerprint that looks real, derived from `seed`. */
function fingerprintOf(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

function withFingerprints(c: ClusterReport): ClusterReport {
  const cert = <T extends CertificateFacts>(facts: T, seed: string): T => ({
    ...facts,
    fingerprintSha256: fingerprintOf(`${c.name}/${seed}`),
  });
  const id = fingerprintOf(`${c.name}`).replaceAll(':', '').slice(0, 32);
  return {
    ...c,
    endpoint: `https://${id}.gr7.${c.region}.eks.amazonaws.com`,
    serverCertificate:
      c.serverCertificate === null
        ? null
        : cert(c.serverCertificate, 'serving'),
    certificateAuthorities: c.certificateAuthorities.map(
      (ca: CertificateAuthorityFacts, i) => cert(ca, `ca-${i}`),
    ),
  };
}

/** The previous run's state for the sample: `ledger` was critical. */
function previousStates(): Map<string, ClusterAlertState> {
  const key = `${ACCOUNT}/eu-central-1/ledger`;
  return new Map([
    [
      key,
      {
        clusterKey: key,
        severity: 'critical',
        verdict: 'untrusted',
        reasons: [{ code: 'HOSTNAME_MISMATCH', level: 'critical' }],
        serverCertificateFingerprint: null,
        caFingerprints: [],
        signingCaFingerprint: null,
        consecutiveUnreachableRuns: 0,
        changedAt: '2026-02-28T18:00:00Z',
        notifiedAt: '2026-02-28T18:00:00Z',
        expiresAt: 1_775_000_000,
      },
    ],
  ]);
}

/**
 * The sample digest shown in docs/alerts.md: a small fleet with an
 * interception, a CA close to expiry, a successor CA, and a recovery.
 * `test/alerts/sample-email.test.ts` checks that the document shows
 * exactly this; run it with `UPDATE_DOCS=1` to rewrite the sample.
 */
export function sampleEmail(): { subject: string; body: string } | null {
  const fleet = [
    {
      ...cluster('payments-prod', {
        verdict: 'untrusted',
        region: 'eu-west-1',
        reasons: [
          reason(
            'UNKNOWN_ISSUER',
            'critical',
            'The server presented CN=proxy.corp.example, issued by ' +
              'CN=Corp TLS Inspection CA, which no CA of the cluster bundle ' +
              'signed.',
          ),
        ],
      }),
      serverCertificate: {
        ...certificate('CN=proxy.corp.example', 364.5),
        issuer: 'CN=Corp TLS Inspection CA',
      },
    },
    cluster('analytics', {
      region: 'us-east-1',
      caDays: 21.4,
      reasons: [
        reason(
          'CA_EXPIRES_SOON',
          'critical',
          'The signing CA CN=kubernetes expires on 2026-03-22T15:36:00Z, in ' +
            '21.4 days (critical under 30).',
        ),
      ],
    }),
    cluster('staging', {
      region: 'eu-west-1',
      caDays: 150.2,
      reasons: [
        reason(
          'CA_EXPIRES_SOON',
          'warning',
          'The signing CA CN=kubernetes expires on 2026-07-29T10:48:00Z, in ' +
            '150.2 days (warning under 180).',
        ),
        reason(
          'CA_MISSING_KEY_IDENTIFIERS',
          'info',
          'CN=kubernetes has no subject key identifier; strict clients such ' +
            'as Python 3.13 reject it.',
        ),
      ],
    }),
    cluster('ledger', { region: 'eu-central-1' }),
    cluster('batch', {
      region: 'us-east-1',
      extraCas: [authority(3652, 'CB', false)],
      reasons: [
        reason(
          'SUCCESSOR_CA_PRESENT',
          'info',
          'The bundle holds a second CA, CN=kubernetes valid until ' +
            '2036-03-01T06:00:00Z, that EKS does not use for signing yet.',
        ),
      ],
    }),
  ].map(withFingerprints);
  return previewEmail(
    report(fleet),
    ACCOUNT,
    {
      reminderHours: 24,
      unreachableAlertRuns: 2,
      dashboardUrl:
        'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1' +
        '#dashboards/dashboard/eks-cert-audit',
    },
    previousStates(),
    NOW,
  );
}
