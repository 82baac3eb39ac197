import type {
  AwsAnswer,
  AwsRequest,
  HandledCall,
  ServiceEmulation,
} from './aws-stand-in.js';
import {
  queryAnswer,
  queryEntries,
  queryError,
  readQueryForm,
} from './query-protocol.js';

/** One message the SNS emulation accepted. */
export interface PublishedMessage {
  readonly topicArn: string;
  readonly subject: string | null;
  readonly message: string;
  /** Message attributes by name: data type and string value. */
  readonly attributes: Readonly<
    Record<string, { readonly dataType: string; readonly value: string }>
  >;
}

/** SNS emulation that keeps every message it accepted. */
export interface SnsEmulation extends ServiceEmulation {
  readonly published: readonly PublishedMessage[];
}

const XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** SNS takes 256 KiB for the whole message, attributes included. */
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * SNS Publish in the AWS query protocol (what client-sns 3.1178 speaks),
 * for the topics in `topicArns`, with SNS's own rules: a subject of 1 to
 * 99 printable ASCII characters without line breaks and a message of at
 * most 256 KiB. A broken rule answers InvalidParameter; another topic
 * NotFound.
 */
export function snsEmulation(topicArns: readonly string[]): SnsEmulation {
  const published: PublishedMessage[] = [];
  return {
    published,
    handle(request: AwsRequest): HandledCall {
      const form = readQueryForm(request);
      if (form === null || form.action !== 'Publish') {
        return {
          operation: form?.action ?? '(not an AWS query request)',
          input: form?.params ?? request.body.toString('utf8'),
          unknown: true,
          answer: queryError(
            400,
            'InvalidAction',
            `the stand-in does not emulate SNS ${form?.action ?? ''}`,
          ),
        };
      }
      const message = toMessage(form.params);
      return {
        operation: 'Publish',
        input: message,
        answer: publish(message, topicArns, published),
      };
    },
  };
}

function toMessage(params: Readonly<Record<string, string>>) {
  const entries = queryEntries(params, 'MessageAttributes');
  const attributes = Object.fromEntries(
    Object.entries(entries).map(([name, fields]) => [
      name,
      {
        dataType: fields['Value.DataType'] ?? '',
        value: fields['Value.StringValue'] ?? '',
      },
    ]),
  );
  return {
    topicArn: params.TopicArn ?? '',
    subject: params.Subject ?? null,
    message: params.Message ?? '',
    attributes,
  };
}

function publish(
  message: PublishedMessage,
  topicArns: readonly string[],
  published: PublishedMessage[],
): AwsAnswer {
  if (!topicArns.includes(message.topicArn)) {
    return queryError(404, 'NotFound', 'Topic does not exist');
  }
  const subject = message.subject;
  if (subject !== null && !/^[\x20-\x7e]{1,99}$/.test(subject)) {
    return queryError(
      400,
      'InvalidParameter',
      'Invalid parameter: Subject must be 1 to 99 printable ASCII characters',
    );
  }
  const bytes =
    Buffer.byteLength(message.message) +
    Object.entries(message.attributes).reduce(
      (sum, [name, a]) => sum + Buffer.byteLength(name + a.dataType + a.value),
      0,
    );
  if (message.message === '' || bytes > MAX_MESSAGE_BYTES) {
    return queryError(
      400,
      'InvalidParameter',
      `Invalid parameter: Message must be 1 byte to 256 KiB, got ${bytes}`,
    );
  }
  published.push(message);
  return queryAnswer('Publish', XML_NAMESPACE, {
    MessageId: `stand-in-message-${published.length}`,
  });
}
