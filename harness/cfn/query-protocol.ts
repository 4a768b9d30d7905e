/**
 * The AWS query protocol as CloudFormation speaks it: form-encoded POST bodies in, XML in the 2010-05-15
 * namespace out (`<XResponse><XResult>...</XResult><ResponseMetadata>`), errors as
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`.
 */
export const CLOUDFORMATION_XML_NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
export const CLOUDFORMATION_API_VERSION = '2010-05-15';

/** An error the API answers, with the HTTP status and the query-protocol error code. */
export class QueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
    readonly type: 'Sender' | 'Receiver' = httpStatus >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
  }
}

export function validationError(message: string): QueryError {
  return new QueryError('ValidationError', message);
}

/** The form parameters of a request body. */
export function parseForm(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** An XML value: text, a nested structure, a list (`<member>` items), or absent. */
export type XmlValue = string | number | boolean | Date | XmlStructure | XmlValue[] | undefined;
export interface XmlStructure {
  readonly [name: string]: XmlValue;
}

/** `<name>value</name>`, with structures nested, lists as `<member>` items, absent members left out. */
export function xmlElement(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  return `<${name}>${xmlContent(value)}</${name}>`;
}

function xmlContent(value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => xmlElement('member', item)).join('');
  if (typeof value === 'object') return Object.entries(value).map(([name, inner]) => xmlElement(name, inner)).join('');
  return escapeXml(String(value));
}

export function successXml(action: string, result: XmlStructure, requestId: string): string {
  return (
    `<${action}Response xmlns="${CLOUDFORMATION_XML_NAMESPACE}">` +
    xmlElement(`${action}Result`, result) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function errorXml(error: QueryError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${CLOUDFORMATION_XML_NAMESPACE}"><Error><Type>${error.type}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
