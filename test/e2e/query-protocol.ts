import type { AwsAnswer, AwsRequest } from './aws-stand-in.js';

/** A decoded AWS query request: the action and its flat parameters. */
export interface QueryForm {
  readonly action: string;
  readonly version: string | null;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Reads an AWS query (form-encoded) body, or `null` when the request is
 * not one (another content type or no `Action`).
 */
export function readQueryForm(request: AwsRequest): QueryForm | null {
  const type = String(request.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) return null;
  const params = Object.fromEntries(
    new URLSearchParams(request.body.toString('utf8')),
  );
  const action = params.Action;
  if (action === undefined) return null;
  return { action, version: params.Version ?? null, params };
}

/**
 * The `NAME.entry.N.*` map of a query request (SNS message attributes) as
 * name to its fields, for example `{ severity: { 'Value.DataType': … } }`.
 */
export function queryEntries(
  params: Readonly<Record<string, string>>,
  prefix: string,
): Record<string, Record<string, string>> {
  const byIndex = new Map<string, Record<string, string>>();
  const pattern = new RegExp(`^${prefix}\\.entry\\.(\\d+)\\.(.+)$`);
  for (const [key, value] of Object.entries(params)) {
    const match = pattern.exec(key);
    if (match === null) continue;
    const [, index = '', field = ''] = match;
    const entry = byIndex.get(index) ?? {};
    entry[field] = value;
    byIndex.set(index, entry);
  }
  const entries: Record<string, Record<string, string>> = {};
  for (const entry of byIndex.values()) {
    const { Name: name, ...fields } = entry;
    if (name !== undefined) entries[name] = fields;
  }
  return entries;
}

/** The XML answer of a query action: `<ActionResponse><ActionResult>`. */
export function queryAnswer(
  action: string,
  xmlNamespace: string,
  result: Readonly<Record<string, string>>,
): AwsAnswer {
  const fields = Object.entries(result)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body:
      `<${action}Response xmlns="${xmlNamespace}">` +
      `<${action}Result>${fields}</${action}Result>` +
      '<ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata>' +
      `</${action}Response>`,
  };
}

/** The XML error of the query protocol. */
export function queryError(
  status: number,
  code: string,
  message: string,
): AwsAnswer {
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body:
      '<ErrorResponse><Error><Type>Sender</Type>' +
      `<Code>${escapeXml(code)}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error>` +
      '<RequestId>stand-in</RequestId></ErrorResponse>',
  };
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
