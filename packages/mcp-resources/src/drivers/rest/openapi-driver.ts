// type 'rest' over @ivotoby/openapi-mcp-server: one tool per OpenAPI operation, described as
// "Make a GET request to /users/{id}", path and query parameters flattened into the arguments
// (`x-parameter-location`), a JSON body's properties inlined.
import { McpConfigError, McpToolError, type Tool } from '@tframex/mcp-api';
import { McpRestError } from '../../errors/mcp-rest-error.js';
import type { HttpMethod, RestRequest } from '../operation-options.js';
import {
  defineResourceDriver,
  type DriverContext,
  type DriverServerView,
} from '../resource-driver.js';
import { textOf } from '../tool-result.js';
import { bodyOf } from './rest-body.js';
import { matchPathTemplate, requestPath } from './rest-path.js';

interface Operation {
  readonly tool: Tool;
  readonly method: HttpMethod;
  readonly path: string;
}

const DESCRIBED = /^Make an? (GET|POST|PUT|PATCH|DELETE) request to (\/\S*)/;

function operationsOf(server: DriverServerView): Operation[] {
  const operations: Operation[] = [];
  for (const tool of server.tools.values()) {
    const described = DESCRIBED.exec(tool.description ?? '');
    if (described)
      operations.push({ tool, method: described[1] as HttpMethod, path: described[2]! });
  }
  return operations;
}

function coerce(tool: Tool, name: string, value: string): unknown {
  const properties = (tool.inputSchema as { properties?: Record<string, { type?: string }> })
    .properties;
  const type = properties?.[name]?.type;
  if (
    (type === 'integer' || type === 'number') &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  ) {
    return Number(value);
  }
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function find(context: DriverContext, method: HttpMethod, path: string) {
  const candidates = operationsOf(context).filter((operation) => operation.method === method);
  // Literal paths win over templates (`/users/me` before `/users/{id}`).
  candidates.sort((a, b) => Number(a.path.includes('{')) - Number(b.path.includes('{')));
  for (const operation of candidates) {
    const variables = matchPathTemplate(operation.path, path);
    if (variables) return { operation, variables };
  }
  const offered = operationsOf(context).map((operation) => `${operation.method} ${operation.path}`);
  throw new McpConfigError(
    `The API on "${context.session.name}" has no operation ${method} ${path}`,
    {
      field: 'path',
      expected: `one of: ${offered.join(', ')}`,
      received: `${method} ${path}`,
    },
  );
}

async function request(context: DriverContext, req: RestRequest): Promise<unknown> {
  const full = requestPath(context, req.path);
  const [pathname = '', query] = full.split('?', 2);
  const { operation, variables } = find(context, req.method, pathname);
  const args: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(query ?? ''))
    args[name] = coerce(operation.tool, name, value);
  for (const [name, value] of Object.entries(variables))
    args[name] = coerce(operation.tool, name, value);
  Object.assign(args, req.params ?? {});
  if (req.body !== undefined) {
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      throw new McpConfigError(
        'This server takes a JSON object body (its properties become arguments)',
        {
          field: 'body',
          expected: 'a JSON object',
          received: Array.isArray(req.body) ? 'an array' : typeof req.body,
        },
      );
    }
    Object.assign(args, req.body);
  }
  try {
    const result = await context.call(operation.tool.name, args, {
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
    });
    return bodyOf(textOf(result));
  } catch (error) {
    if (!McpToolError.isInstance(error)) throw error;
    const text = error.result ? textOf(error.result) : error.message;
    const status = /status code (\d{3})/.exec(text);
    throw new McpRestError(`${req.method} ${full} failed on "${context.session.name}": ${text}`, {
      toolName: operation.tool.name,
      server: context.session.name,
      method: 'tools/call',
      cause: error,
      ...(status ? { status: Number(status[1]) } : {}),
      ...(error.result ? { result: error.result } : {}),
    });
  }
}

export const openApiDriver = defineResourceDriver({
  name: 'openapi-mcp-server',
  type: 'rest',
  matches: (server) => operationsOf(server).length > 0,
  request,
});
