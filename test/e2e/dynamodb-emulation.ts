import {
  type AwsRequest,
  type HandledCall,
  jsonAnswer,
  jsonError,
  type ServiceEmulation,
} from './aws-stand-in.js';

/** A DynamoDB item in attribute-value form, as on the wire. */
export type WireItem = Record<string, Record<string, unknown>>;

/** DynamoDB emulation with real in-memory tables that outlive a run. */
export interface DynamoDbEmulation extends ServiceEmulation {
  /** The items of a table by partition key value. */
  table(name: string): ReadonlyMap<string, WireItem>;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

/**
 * BatchGetItem and BatchWriteItem (puts) over in-memory tables keyed by a
 * string partition key, so that alert state persists from one run to the
 * next. A table not in `tables` answers ResourceNotFoundException, a key
 * without the partition attribute a ValidationException, as DynamoDB does.
 */
export function dynamoDbEmulation(tables: {
  readonly [name: string]: { readonly partitionKey: string };
}): DynamoDbEmulation {
  const items = new Map<string, Map<string, WireItem>>(
    Object.keys(tables).map((name) => [name, new Map()]),
  );
  const keyOf = (table: string, item: WireItem): string | null => {
    const attribute = tables[table]?.partitionKey ?? '';
    const value = item[attribute]?.S;
    return typeof value === 'string' && value !== '' ? value : null;
  };

  function batchGet(input: BatchInput): HandledCall['answer'] {
    const responses: Record<string, WireItem[]> = {};
    for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
      const stored = items.get(table);
      if (stored === undefined) return missingTable(table);
      const keys = (request as { Keys?: WireItem[] }).Keys ?? [];
      if (keys.length > 100) return invalid('Too many items requested');
      responses[table] = [];
      for (const key of keys) {
        const id = keyOf(table, key);
        if (id === null) return invalid('The key element does not match');
        const item = stored.get(id);
        if (item !== undefined) responses[table].push(item);
      }
    }
    return jsonAnswer({ Responses: responses, UnprocessedKeys: {} });
  }

  function batchWrite(input: BatchInput): HandledCall['answer'] {
    const entries = Object.entries(input.RequestItems ?? {});
    const count = entries.reduce(
      (sum, [, requests]) => sum + (requests as unknown[]).length,
      0,
    );
    if (count > 25) return invalid('Too many items in the BatchWriteItem');
    for (const [table, requests] of entries) {
      const stored = items.get(table);
      if (stored === undefined) return missingTable(table);
      for (const request of requests as WriteRequest[]) {
        const item = request.PutRequest?.Item;
        const id = item === undefined ? null : keyOf(table, item);
        if (item === undefined || id === null) {
          return invalid('Only PutRequest items with the key are emulated');
        }
        stored.set(id, item);
      }
    }
    return jsonAnswer({ UnprocessedItems: {} });
  }

  return {
    table: (name) => items.get(name) ?? new Map(),
    handle(request: AwsRequest): HandledCall {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : `(no X-Amz-Target: ${target})`;
      const input = JSON.parse(request.body.toString('utf8') || '{}');
      if (operation === 'BatchGetItem') {
        return { operation, input, answer: batchGet(input) };
      }
      if (operation === 'BatchWriteItem') {
        return { operation, input, answer: batchWrite(input) };
      }
      return {
        operation,
        input,
        unknown: true,
        answer: jsonError(
          400,
          'com.amazon.coral.service#UnknownOperationException',
          `the stand-in does not emulate DynamoDB ${operation}`,
        ),
      };
    },
  };
}

interface BatchInput {
  readonly RequestItems?: Record<string, unknown>;
}

interface WriteRequest {
  readonly PutRequest?: { readonly Item?: WireItem };
}

function missingTable(table: string) {
  return jsonError(
    400,
    'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
    `Requested resource not found: Table: ${table} not found`,
  );
}

function invalid(message: string) {
  return jsonError(
    400,
    'com.amazon.coral.validate#ValidationException',
    message,
  );
}
