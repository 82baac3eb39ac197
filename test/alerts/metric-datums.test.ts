import { describe, expect, it } from 'vitest';
import {
  buildMetricDatums,
  dimensionValueProblem,
  heartbeatDatums,
  isSendableValue,
} from '../../lambda/alerts/metric-datums.js';
import type { ClusterReport } from '../../lambda/engine/types.js';
import {
  ACCOUNT,
  certificate,
  cluster,
  NOW,
  report,
  SHAPES,
} from './report-fixtures.js';

const STARTED = new Date(NOW.getTime() - 60_000);

function datumsOf(clusters: readonly ClusterReport[], perCluster = true) {
  return buildMetricDatums({
    report: report(clusters),
    accountId: ACCOUNT,
    startedAt: STARTED,
    durationSeconds: 42.5,
    perClusterMetrics: perCluster,
  });
}

function values(clusters: readonly ClusterReport[], metric: string) {
  return datumsOf(clusters)
    .datums.filter((d) => d.MetricName === metric)
    .map((d) => d.Value);
}

describe('buildMetricDatums', () => {
  it('sends the per-cluster set with the contract names, dimensions and units', () => {
    const { datums } = datumsOf([
      cluster('prod', { serverDays: 12.5, caDays: 400 }),
    ]);

    const perCluster = datums.filter((d) => d.Dimensions?.length === 3);
    expect(perCluster).toEqual([
      expect.objectContaining({
        MetricName: 'ServerCertificateDaysToExpiry',
        Value: 12.5,
        Unit: 'None',
      }),
      expect.objectContaining({
        MetricName: 'ClusterCADaysToExpiry',
        Value: 400,
        Unit: 'None',
      }),
      expect.objectContaining({
        MetricName: 'ChainTrusted',
        Value: 1,
        Unit: 'None',
      }),
      expect.objectContaining({
        MetricName: 'Severity',
        Value: 0,
        Unit: 'None',
      }),
    ]);
    expect(perCluster[0]?.Dimensions).toEqual([
      { Name: 'AccountId', Value: ACCOUNT },
      { Name: 'Region', Value: 'eu-west-1' },
      { Name: 'ClusterName', Value: 'prod' },
    ]);
    expect(datums.every((d) => d.Timestamp === STARTED)).toBe(true);
  });

  it('sends the per-account set once', () => {
    const { datums } = datumsOf([
      cluster('a', SHAPES.expired),
      cluster('b', SHAPES.caSoon),
      cluster('c', SHAPES.unreachable),
    ]);

    const perAccount = Object.fromEntries(
      datums
        .filter((d) => d.Dimensions?.length === 1)
        .map((d) => [d.MetricName, [d.Value, d.Unit]]),
    );
    expect(perAccount).toEqual({
      ClustersAudited: [3, 'Count'],
      ClustersCritical: [1, 'Count'],
      ClustersWarning: [1, 'Count'],
      ClustersUnreachable: [1, 'Count'],
      ClustersSkipped: [0, 'Count'],
      ClustersErrored: [0, 'Count'],
      RegionsFailed: [0, 'Count'],
      MinServerCertificateDaysToExpiry: [-2, 'None'],
      MinClusterCADaysToExpiry: [90, 'None'],
      AuditDurationSeconds: [42.5, 'Seconds'],
    });
    expect(datums.some((d) => d.MetricName === 'AuditSucceeded')).toBe(false);
  });

  it.each([
    ['trusted', cluster('a'), [1]],
    ['untrusted', cluster('a', SHAPES.expired), [0]],
    ['unreachable', cluster('a', SHAPES.unreachable), []],
    ['skipped', cluster('a', { verdict: 'skipped' }), []],
  ])(
    'sends ChainTrusted for a %s cluster only after a handshake',
    (_v, c, expected) => {
      expect(values([c], 'ChainTrusted')).toEqual(expected);
    },
  );

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['null', null],
    ['too large', 2 ** 400],
  ])('leaves out a %s figure instead of sending it', (_label, bad) => {
    const broken: ClusterReport = {
      ...cluster('prod'),
      serverCertificate: {
        ...certificate('CN=kube-apiserver', 1),
        daysToExpiry: bad as number,
      },
    };

    expect(values([broken], 'ServerCertificateDaysToExpiry')).toEqual([]);
    expect(values([broken], 'MinServerCertificateDaysToExpiry')).toEqual([]);
    expect(values([broken], 'Severity')).toEqual([0]);
  });

  it('leaves out the minimum figures when no cluster has one', () => {
    const { datums } = datumsOf([]);

    const names = datums.map((d) => d.MetricName);
    expect(names).not.toContain('MinServerCertificateDaysToExpiry');
    expect(names).not.toContain('MinClusterCADaysToExpiry');
    expect(names).toContain('ClustersAudited');
  });

  it.each([
    ['a non-ASCII name', 'prød'],
    ['an empty name', ''],
    ['a name of spaces', '   '],
    ['a name with a control character', 'a\tb'],
    ['a name of 1025 characters', 'x'.repeat(1025)],
  ])('drops and counts the datums of a cluster with %s', (_label, name) => {
    const result = datumsOf([cluster(name), cluster('good')]);

    expect(result.dropped).toHaveLength(4);
    expect(result.dropped[0]).toMatchObject({ dimension: 'ClusterName' });
    expect(
      result.datums.filter((d) => d.Dimensions?.length === 3),
    ).toHaveLength(4);
  });

  it('drops the datums of a cluster without a region', () => {
    const result = datumsOf([cluster('prod', { region: null })]);

    expect(result.dropped.map((d) => d.rule)).toEqual(
      Array(4).fill('must not be empty'),
    );
  });

  it('accepts a name of exactly 1024 characters', () => {
    expect(dimensionValueProblem('x'.repeat(1024))).toBeNull();
  });

  it('sends only the per-account set when per-cluster metrics are off', () => {
    const { datums } = datumsOf(
      [cluster('a', SHAPES.expired), cluster('b')],
      false,
    );

    expect(datums.every((d) => d.Dimensions?.length === 1)).toBe(true);
    expect(datums).toHaveLength(10);
  });
});

describe('heartbeatDatums', () => {
  it('is AuditSucceeded = 1 per account, counted', () => {
    expect(heartbeatDatums(ACCOUNT, STARTED).datums).toEqual([
      {
        MetricName: 'AuditSucceeded',
        Dimensions: [{ Name: 'AccountId', Value: ACCOUNT }],
        Timestamp: STARTED,
        Value: 1,
        Unit: 'Count',
      },
    ]);
  });
});

describe('isSendableValue', () => {
  it.each([
    [0, true],
    [-3.5, true],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    [null, false],
    [undefined, false],
    ['1', false],
  ])('says %s is sendable: %s', (value, expected) => {
    expect(isSendableValue(value)).toBe(expected);
  });
});
