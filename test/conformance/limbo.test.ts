import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ChainEvaluation,
  evaluateWithAnchors,
} from '../../lambda/engine/evaluate-chain.js';
import { DEFAULT_THRESHOLDS } from '../../lambda/engine/types.js';
import { DEFAULT_PATH_LIMITS } from '../../lambda/engine/x509/build-paths.js';
import {
  type ParsedCertificate,
  parseCertificate,
} from '../../lambda/engine/x509/parse-certificate.js';
import { readPemBlocks } from '../../lambda/engine/x509/pem.js';

// x509-limbo core server-authentication cases (Apache-2.0; provenance in
// test/fixtures/x509-limbo/README.md). "accepted" means verdict trusted.

interface LimboCase {
  readonly id: string;
  readonly validation_kind: string;
  readonly trusted_certs: readonly string[];
  readonly untrusted_intermediates: readonly string[];
  readonly peer_certificate: string;
  readonly validation_time: string | null;
  readonly expected_result: 'SUCCESS' | 'FAILURE';
  readonly expected_peer_name: {
    readonly kind: string;
    readonly value: string;
  };
  readonly extended_key_usage: readonly string[];
  readonly max_chain_depth: number | null;
}

interface Deviation {
  readonly id: string;
  readonly actual: 'accepted' | 'rejected';
  readonly reason: string;
}

const read = (path: string) =>
  readFileSync(new URL(path, import.meta.url), 'utf8');
const CASES: readonly LimboCase[] = JSON.parse(
  read('../fixtures/x509-limbo/limbo-core.json'),
).testcases;
const DEVIATIONS: ReadonlyMap<string, Deviation> = new Map(
  (JSON.parse(read('./deviations.json')).deviations as Deviation[]).map(
    (deviation) => [deviation.id, deviation],
  ),
);

/** The clock for cases without a validation time (their certificates
 * are valid from 1970 to 2969). */
const FIXED_NOW = new Date('2025-06-01T00:00:00Z');

/** Per-case bound; the pathological cases take a few milliseconds. */
const MAX_CASE_MS = 250;

interface Outcome {
  readonly testCase: LimboCase;
  readonly actual: 'accepted' | 'rejected';
  readonly expected: 'accepted' | 'rejected';
  readonly result: ChainEvaluation;
  readonly elapsedMs: number;
}

function der(pem: string): Buffer {
  const blocks = readPemBlocks(pem);
  if (!blocks.ok || blocks.blocks.length !== 1) {
    throw new Error(`limbo PEM is not one block: ${pem.slice(0, 60)}`);
  }
  return (blocks.blocks[0] as { der: Buffer }).der;
}

function run(testCase: LimboCase): Outcome {
  if (testCase.validation_kind !== 'SERVER') {
    throw new Error(`${testCase.id}: only SERVER cases apply`);
  }
  if (testCase.extended_key_usage.some((eku) => eku !== 'serverAuth')) {
    throw new Error(`${testCase.id}: only serverAuth is checked`);
  }
  const started = performance.now();
  // Trust anchors go in parsed: they are trusted as given and judged on
  // the path, not held to the "every block is a CA" rule of EKS CA data.
  const anchors = testCase.trusted_certs.flatMap((pem): ParsedCertificate[] => {
    const parsed = parseCertificate(der(pem));
    return parsed.ok ? [parsed.certificate] : [];
  });
  const result = evaluateWithAnchors({
    anchors,
    presented: [
      der(testCase.peer_certificate),
      ...testCase.untrusted_intermediates.map(der),
    ],
    host: testCase.expected_peer_name.value,
    now:
      testCase.validation_time === null
        ? FIXED_NOW
        : new Date(testCase.validation_time),
    thresholds: DEFAULT_THRESHOLDS,
    limits: {
      ...DEFAULT_PATH_LIMITS,
      maxIntermediates: Math.min(
        DEFAULT_PATH_LIMITS.maxIntermediates,
        testCase.max_chain_depth ?? Number.POSITIVE_INFINITY,
      ),
    },
  });
  return {
    testCase,
    actual: result.verdict === 'trusted' ? 'accepted' : 'rejected',
    expected: testCase.expected_result === 'SUCCESS' ? 'accepted' : 'rejected',
    result,
    elapsedMs: performance.now() - started,
  };
}

const OUTCOMES = CASES.map(run);

function score(outcomes: readonly Outcome[]) {
  return {
    pass: outcomes.filter((o) => o.actual === o.expected).length,
    falseAccept: outcomes.filter(
      (o) => o.actual === 'accepted' && o.expected === 'rejected',
    ).length,
    falseReject: outcomes.filter(
      (o) => o.actual === 'rejected' && o.expected === 'accepted',
    ).length,
  };
}

describe('x509-limbo core conformance', () => {
  it.each(OUTCOMES.map((o) => [o.testCase.id, o] as const))(
    '%s',
    (_id, outcome) => {
      const deviation = DEVIATIONS.get(outcome.testCase.id);
      const critical = outcome.result.reasons
        .filter((reason) => reason.level === 'critical')
        .map((reason) => `${reason.code}: ${reason.message}`);

      expect(outcome.elapsedMs).toBeLessThan(MAX_CASE_MS);
      if (deviation === undefined) {
        expect({ verdict: outcome.actual, critical }).toMatchObject({
          verdict: outcome.expected,
        });
      } else {
        expect(outcome.actual).not.toBe(outcome.expected);
        expect(outcome.actual).toBe(deviation.actual);
      }
    },
  );

  it('lists only known cases as deviations, each with a reason', () => {
    const ids = new Set(CASES.map((c) => c.id));

    for (const deviation of DEVIATIONS.values()) {
      expect(ids.has(deviation.id), deviation.id).toBe(true);
      expect(deviation.reason.length).toBeGreaterThan(40);
    }
  });

  it('passes at least 100 of the 118 cases', () => {
    const { pass, falseAccept, falseReject } = score(OUTCOMES);
    const slowest = Math.max(...OUTCOMES.map((o) => o.elapsedMs));

    console.log(
      `x509-limbo core: ${pass} of ${OUTCOMES.length} pass, ${falseAccept} false accepts, ${falseReject} false rejects, ${DEVIATIONS.size} listed deviations; slowest case ${slowest.toFixed(1)} ms`,
    );
    expect(OUTCOMES).toHaveLength(118);
    expect(pass).toBeGreaterThanOrEqual(100);
  });

  it('matches the score written in docs/conformance.md', () => {
    const doc = read('../../docs/conformance.md');
    const row = /\| eks-cert-audit +\| (\d+) +\| (\d+) +\| (\d+) +\|/.exec(doc);

    expect(row?.slice(1).map(Number)).toEqual(Object.values(score(OUTCOMES)));
  });
});
