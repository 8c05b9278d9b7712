// The parts of node:http's request and response a handler uses, structurally, so the root
// entry imports nothing from Node (any framework passing node:http objects fits).

export interface McpHttpRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
}

export interface McpHttpResponse {
  writeHead(status: number, headers?: Record<string, string | number>): unknown;
  end(body?: string): unknown;
}

/** A `(req, res)` listener for `http.createServer` (or Express, Connect, ...). */
export type McpHttpHandler = (request: McpHttpRequest, response: McpHttpResponse) => void;

export function headerOf(request: McpHttpRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

export function queryOf(request: McpHttpRequest): URLSearchParams {
  const url = request.url ?? '/';
  const question = url.indexOf('?');
  return new URLSearchParams(question < 0 ? '' : url.slice(question + 1));
}

export function send(
  response: McpHttpResponse,
  status: number,
  contentType: string,
  body: string,
  head: boolean,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(head ? undefined : body);
}
