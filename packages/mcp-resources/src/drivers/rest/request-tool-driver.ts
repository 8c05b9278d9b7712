// type 'rest' over a generic request tool: dkmaker-mcp-rest-api's
// `test_request {method, endpoint, body?, headers?}` (the query goes inside `endpoint`); its
// answer is `{request, response: {statusCode, body}, validation}` and a 4xx/5xx is not an MCP error.
import { McpProtocolError, McpToolError } from '@tframex/mcp-api';
import { McpRestError } from '../../errors/mcp-rest-error.js';
import type { RestRequest } from '../operation-options.js';
import { defineResourceDriver, type DriverContext } from '../resource-driver.js';
import { parseJson, textOf } from '../tool-result.js';
import { requestPath } from './rest-path.js';

function withQuery(path: string, params: RestRequest['params']): string {
  if (!params || Object.keys(params).length === 0) return path;
  const query = new URLSearchParams(
    Object.entries(params).map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();
  return `${path}${path.includes('?') ? '&' : '?'}${query}`;
}

async function request(context: DriverContext, req: RestRequest): Promise<unknown> {
  const endpoint = withQuery(requestPath(context, req.path), req.params);
  const fail = (message: string, status: number | undefined, cause?: unknown) =>
    new McpRestError(`${req.method} ${endpoint} failed on "${context.session.name}": ${message}`, {
      toolName: 'test_request',
      server: context.session.name,
      method: 'tools/call',
      ...(status !== undefined ? { status } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
  let text: string;
  try {
    const result = await context.call(
      'test_request',
      {
        method: req.method,
        endpoint,
        ...(req.body !== undefined ? { body: req.body } : {}),
        ...(req.headers ? { headers: req.headers } : {}),
      },
      {
        ...(req.signal ? { signal: req.signal } : {}),
        ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
      },
    );
    text = textOf(result);
  } catch (error) {
    if (!McpToolError.isInstance(error)) throw error;
    const detail = error.result ? textOf(error.result) : error.message;
    const status = /status code (\d{3})/.exec(detail);
    throw fail(detail, status ? Number(status[1]) : undefined, error);
  }
  const answer = parseJson(text, 'test_request') as {
    response?: { statusCode?: number; body?: unknown };
    validation?: { truncated?: { originalSize?: number; returnedSize?: number } };
  };
  const status = answer.response?.statusCode;
  if (typeof status !== 'number') {
    throw new McpProtocolError('test_request answered without response.statusCode', {
      method: 'tools/call',
      code: -32603,
    });
  }
  if (status >= 400) throw fail(`HTTP ${status}`, status);
  if (answer.validation?.truncated) {
    const { originalSize, returnedSize } = answer.validation.truncated;
    throw new McpProtocolError(
      `The server cut the response body of ${req.method} ${endpoint} to ${returnedSize} of ${originalSize} bytes (raise its REST_RESPONSE_SIZE_LIMIT)`,
      { method: 'tools/call', code: -32603 },
    );
  }
  return answer.response?.body;
}

export const requestToolDriver = defineResourceDriver({
  name: 'rest-request-tool',
  type: 'rest',
  requires: ['test_request'],
  request,
});
