// Header names and values a plugin may set: a valid token, never one that frames the
// request (Host, Content-Length, ...), and values without control characters (no injection).

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Values are visible ASCII, space, tab or obs-text; CR, LF and NUL would split the header.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const FRAMING = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'mcp-session-id',
  'mcp-protocol-version',
]);

/** Whether `name` is a header a plugin may set. */
export function isAllowedHeaderName(name: string): boolean {
  return TOKEN.test(name) && !FRAMING.has(name.toLowerCase());
}

/** Whether `value` can be sent as a header value as-is. */
export function isValidHeaderValue(value: string): boolean {
  return FIELD_VALUE.test(value) && value.trim() === value;
}

export const HEADER_NAME_EXPECTED =
  'an HTTP header name (a token such as X-API-Key) that does not frame the request (not Host, Content-Length, Content-Type, Connection, Transfer-Encoding, Mcp-Session-Id, ...)';
export const HEADER_VALUE_EXPECTED =
  'a non-empty string without control characters (no CR, LF or NUL) or surrounding whitespace';
