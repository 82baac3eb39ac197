import { cbor } from '@smithy/core/cbor';
import {
  type AwsAnswer,
  type AwsRequest,
  type HandledCall,
  jsonAnswer,
  jsonError,
  type ServiceEmulation,
} from './aws-stand-in.js';

/** One metric datum as CloudWatch would store it. */
export interface ReceivedDatum {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Dimension names in the order the client sent them. */
  readonly dimensionNames: readonly string[];
  readonly value: unknown;
  readonly unit: string | null;
  readonly timestamp: Date | null;
  /** Which PutMetricData call of the emulation carried it, from 1. */
  readonly call: number;
}

/** CloudWatch emulation that keeps every datum it accepted. */
export interface CloudWatchEmulation extends ServiceEmulation {
  readonly datums: readonly ReceivedDatum[];
  /** How each PutMetricData call was encoded: `json` or `cbor`. */
  readonly protocols: readonly string[];
}

const SERVICE = 'GraniteServiceVersion20100801';
const MAX_DATUMS = 1000;
const MAX_BODY_BYTES = 1_000_000;
const FOURTEEN_DAYS_MS = 14 * 86_400_000;
const TWO_HOURS_MS = 2 * 3_600_000;
const UNITS: ReadonlySet<string> = new Set(
  (
    'Seconds Microseconds Milliseconds Bytes Kilobytes Megabytes Gigabytes ' +
    'Terabytes Bits Kilobits Megabits Gigabits Terabits Percent Count ' +
    'Bytes/Second Kilobytes/Second Megabytes/Second Gigabytes/Second ' +
    'Terabytes/Second Bits/Second Kilobits/Second Megabits/Second ' +
    'Gigabits/Second Terabits/Second Count/Second None'
  ).split(' '),
);

/**
 * PutMetricData in the AWS JSON 1.0 protocol (what client-cloudwatch
 * 3.1178 speaks, with `X-Amz-Target: GraniteServiceVersion20100801.*`)
 * and in Smithy RPC v2 CBOR, checked against CloudWatch's limits (design
 * section 6): at most 1000 datums and 1 MB, finite values, known units,
 * dimension values of 1 to 1024 characters, timestamps from 14 days back
 * to 2 hours ahead of `now()`. A call that breaks a limit is refused with
 * InvalidParameterValue, as CloudWatch refuses the whole call.
 */
export function cloudWatchEmulation(
  now: () => Date = () => new Date(),
): CloudWatchEmulation {
  const datums: ReceivedDatum[] = [];
  const protocols: string[] = [];
  let calls = 0;

  return {
    datums,
    protocols,
    handle(request: AwsRequest): HandledCall {
      const decoded = decode(request);
      if (decoded.operation !== 'PutMetricData') {
        return {
          operation: decoded.operation,
          input: decoded.input,
          unknown: true,
          answer: jsonError(
            400,
            'UnknownOperationException',
            `the stand-in does not emulate CloudWatch ${decoded.operation}`,
          ),
        };
      }
      const problem =
        request.body.length > MAX_BODY_BYTES
          ? `the request is ${request.body.length} bytes, over 1 MB`
          : problemOf(decoded.input, now());
      if (problem !== null) {
        return {
          operation: decoded.operation,
          input: decoded.input,
          answer: refuse(decoded.protocol, problem),
        };
      }
      calls += 1;
      protocols.push(decoded.protocol);
      datums.push(...received(decoded.input as PutInput, calls));
      return {
        operation: decoded.operation,
        input: decoded.input,
        answer:
          decoded.protocol === 'cbor'
            ? cborAnswer({})
            : jsonAnswer({}, 'application/x-amz-json-1.0'),
      };
    },
  };
}

interface PutInput {
  readonly Namespace?: unknown;
  readonly MetricData?: unknown;
}

interface WireDatum {
  readonly MetricName?: unknown;
  readonly Dimensions?: readonly { Name?: unknown; Value?: unknown }[];
  readonly Value?: unknown;
  readonly Unit?: unknown;
  readonly Timestamp?: unknown;
}

function decode(request: AwsRequest): {
  operation: string;
  input: unknown;
  protocol: string;
} {
  if (request.headers['smithy-protocol'] === 'rpc-v2-cbor') {
    const operation = request.segments.at(-1) ?? '';
    const input =
      request.body.length === 0 ? {} : cbor.deserialize(request.body);
    return { operation, input, protocol: 'cbor' };
  }
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target.startsWith(`${SERVICE}.`)) {
    const input = JSON.parse(request.body.toString('utf8') || '{}');
    return {
      operation: target.slice(SERVICE.length + 1),
      input,
      protocol: 'json',
    };
  }
  return {
    operation: `(unrecognised protocol, content-type ${String(
      request.headers['content-type'],
    )})`,
    input: request.body.toString('utf8'),
    protocol: 'unknown',
  };
}

function problemOf(input: unknown, now: Date): string | null {
  const { Namespace, MetricData } = (input ?? {}) as PutInput;
  if (typeof Namespace !== 'string' || Namespace === '') {
    return 'Namespace is required';
  }
  if (!Array.isArray(MetricData) || MetricData.length === 0) {
    return 'MetricData must hold at least one datum';
  }
  if (MetricData.length > MAX_DATUMS) {
    return `MetricData holds ${MetricData.length} datums, over ${MAX_DATUMS}`;
  }
  for (const datum of MetricData as WireDatum[]) {
    const name = String(datum.MetricName);
    if (typeof datum.Value !== 'number' || !Number.isFinite(datum.Value)) {
      return `${name}: Value must be a finite number, got ${JSON.stringify(datum.Value)}`;
    }
    if (datum.Unit !== undefined && !UNITS.has(String(datum.Unit))) {
      return `${name}: unknown Unit ${String(datum.Unit)}`;
    }
    for (const dimension of datum.Dimensions ?? []) {
      const value = dimension.Value;
      if (
        typeof value !== 'string' ||
        value.length < 1 ||
        value.length > 1024
      ) {
        return `${name}: dimension value must be 1 to 1024 characters`;
      }
    }
    const at = timestampOf(datum.Timestamp);
    if (at === null) continue;
    const age = now.getTime() - at.getTime();
    if (age > FOURTEEN_DAYS_MS || -age > TWO_HOURS_MS) {
      return `${name}: Timestamp ${at.toISOString()} is out of range`;
    }
  }
  return null;
}

function received(input: PutInput, call: number): ReceivedDatum[] {
  const namespace = String(input.Namespace);
  return (input.MetricData as WireDatum[]).map((datum) => {
    const pairs = (datum.Dimensions ?? []).map(
      (d) => [String(d.Name), String(d.Value)] as const,
    );
    return {
      namespace,
      metricName: String(datum.MetricName),
      dimensions: Object.fromEntries(pairs),
      dimensionNames: pairs.map(([name]) => name),
      value: datum.Value,
      unit: datum.Unit === undefined ? null : String(datum.Unit),
      timestamp: timestampOf(datum.Timestamp),
      call,
    };
  });
}

/** JSON sends epoch seconds; CBOR a Date or a tag-1 number. */
function timestampOf(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'object' && value !== null && 'value' in value) {
    return timestampOf((value as { value: unknown }).value);
  }
  return null;
}

function refuse(protocol: string, message: string): AwsAnswer {
  if (protocol !== 'cbor') {
    return jsonError(400, 'InvalidParameterValue', message);
  }
  return {
    ...cborAnswer({ __type: 'InvalidParameterValue', message }),
    status: 400,
  };
}

function cborAnswer(value: unknown): AwsAnswer {
  return {
    status: 200,
    headers: {
      'content-type': 'application/cbor',
      'smithy-protocol': 'rpc-v2-cbor',
    },
    body: Buffer.from(cbor.serialize(value)),
  };
}
