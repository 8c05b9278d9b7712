// The parts of node:http's request and response a handler uses, structurally, so the root
// entry imports nothing from Node (any framework passing node:http objects fits).

export interface McpHttpRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
}

export interface McpHttpResponse {
  readonly headersSent?: boolean;
  writeHead(status: number, headers?: Record<string, string | number>): unknown;
  end(body?: string | Uint8Array): unknown;
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
  body: string | Uint8Array,
  head: boolean,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(head ? undefined : body);
}

/** Whether the client accepts gzip (`Accept-Encoding`, a q of 0 refusing it). */
export function acceptsGzip(request: McpHttpRequest): boolean {
  return headerOf(request, 'accept-encoding')
    .split(',')
    .some((part) => {
      const [coding, ...params] = part.trim().toLowerCase().split(';');
      if (coding !== 'gzip' && coding !== 'x-gzip') return false;
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
      return q === undefined || Number(q.slice(2)) > 0;
    });
}

/**
 * Gzips `body` off the event loop (zlib's thread pool, fastest level: expositions repeat
 * themselves, so even level 1 shrinks them some 20 times).
 */
export async function gzip(body: string): Promise<Uint8Array> {
  const zlib = await import('node:zlib');
  return new Promise((resolve, reject) =>
    zlib.gzip(body, { level: 1 }, (error, compressed) =>
      error ? reject(error) : resolve(compressed),
    ),
  );
}
