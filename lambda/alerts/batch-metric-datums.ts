import type { MetricDatum } from '@aws-sdk/client-cloudwatch';

/** PutMetricData takes at most 1000 datums per call. */
export const MAX_DATUMS_PER_CALL = 1000;

/**
 * Bytes of datums per call. PutMetricData takes 1 MB per request; the
 * estimate below is the datums' JSON, and the margin covers the request's
 * envelope and any difference between the estimate and the wire form.
 */
export const MAX_BATCH_BYTES = 900_000;

/** Limits for {@link batchMetricDatums}; the defaults are AWS's. */
export interface BatchLimits {
  /** @default MAX_DATUMS_PER_CALL */
  readonly maxDatums?: number;
  /** @default MAX_BATCH_BYTES */
  readonly maxBytes?: number;
}

/**
 * Splits datums into PutMetricData calls of at most 1000 datums and under
 * 1 MB each, keeping their order. No datums give no batches.
 */
export function batchMetricDatums(
  datums: readonly MetricDatum[],
  limits: BatchLimits = {},
): MetricDatum[][] {
  const maxDatums = limits.maxDatums ?? MAX_DATUMS_PER_CALL;
  const maxBytes = limits.maxBytes ?? MAX_BATCH_BYTES;
  const batches: MetricDatum[][] = [];
  let batch: MetricDatum[] = [];
  let size = 0;
  for (const datum of datums) {
    const datumSize = estimatedBytes(datum);
    if (
      batch.length > 0 &&
      (batch.length >= maxDatums || size + datumSize > maxBytes)
    ) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(datum);
    size += datumSize;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** The serialized size of one datum in the JSON protocol, rounded up. */
export function estimatedBytes(datum: MetricDatum): number {
  // A Date serializes as an epoch number on the wire and as a longer ISO
  // string here, and the comma between datums is the +1.
  return Buffer.byteLength(JSON.stringify(datum), 'utf8') + 1;
}
