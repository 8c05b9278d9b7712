// A real resource server guarded by the test authorization server, shaped like an MCP
// endpoint: POST /mcp with a JSON-RPC body; each method may need scopes. It answers 401 with
// a Bearer challenge (RFC 6750 / RFC 9728 resource_metadata) and 403 insufficient_scope.
import type { ServerResponse } from 'node:http';
import { sendJson, startHttpServer, type ReceivedRequest } from './http-test-server.js';
import type { OAuthTestServer } from './oauth-test-server.js';

export interface ProtectedTestServerOptions {
  authServer: OAuthTestServer | (() => OAuthTestServer);
  /** Scopes each JSON-RPC method needs (default: none). */
  requiredScopes?: (method: string) => string[];
  /** Listed in the protected resource metadata. */
  scopesSupported?: string[];
  /** Put the needed scope in the 401 challenge (default true). */
  scopeInChallenge?: boolean;
  /** Serve protected resource metadata (default true). */
  resourceMetadata?: boolean;
  /** `resource` to publish, when it should differ from the real one. */
  publishedResource?: string;
}

export interface ProtectedTestServer {
  url: string;
  /** The MCP endpoint: `${url}/mcp`. */
  mcpUrl: string;
  received: ReceivedRequest[];
  /** Bearer tokens the server saw, in order (undefined for requests without one). */
  presentedTokens: (string | undefined)[];
  close(): Promise<void>;
}

export async function startProtectedTestServer(
  options: ProtectedTestServerOptions,
): Promise<ProtectedTestServer> {
  const presentedTokens: (string | undefined)[] = [];
  const authServer = () =>
    typeof options.authServer === 'function' ? options.authServer() : options.authServer;
  let base = '';
  const metadataUrl = () => `${base}/.well-known/oauth-protected-resource/mcp`;

  const challenge = (
    response: ServerResponse,
    status: 401 | 403,
    params: Record<string, string>,
  ) => {
    const list = Object.entries({ ...params, resource_metadata: metadataUrl() })
      .map(([key, value]) => `${key}="${value}"`)
      .join(', ');
    sendJson(
      response,
      status,
      { error: params.error ?? 'invalid_token' },
      { 'www-authenticate': `Bearer ${list}` },
    );
  };

  const server = await startHttpServer((request, response) => {
    if (request.method === 'GET' && request.path === '/.well-known/oauth-protected-resource/mcp') {
      if (options.resourceMetadata === false)
        return sendJson(response, 404, { error: 'not_found' });
      return sendJson(response, 200, {
        resource: options.publishedResource ?? `${base}/mcp`,
        authorization_servers: [authServer().issuer],
        ...(options.scopesSupported ? { scopes_supported: options.scopesSupported } : {}),
      });
    }
    if (request.path !== '/mcp') return sendJson(response, 404, { error: 'not_found' });
    const method = (JSON.parse(request.body || '{}') as { method?: string }).method ?? '';
    const required = options.requiredScopes?.(method) ?? [];
    const authorization = request.headers.authorization;
    const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    presentedTokens.push(presented);
    if (presented === undefined) {
      const scope: Record<string, string> =
        options.scopeInChallenge === false || required.length === 0
          ? {}
          : { scope: required.join(' ') };
      return challenge(response, 401, scope);
    }
    const issued = authServer().verify(presented);
    if (!issued || (issued.resource !== undefined && issued.resource !== `${base}/mcp`)) {
      return challenge(response, 401, { error: 'invalid_token' });
    }
    const granted = new Set((issued.scope ?? '').split(' '));
    if (!required.every((scope) => granted.has(scope))) {
      return challenge(response, 403, { error: 'insufficient_scope', scope: required.join(' ') });
    }
    return sendJson(response, 200, { ok: true, method, scope: issued.scope ?? null });
  });
  base = server.url;
  return {
    url: base,
    mcpUrl: `${base}/mcp`,
    received: server.received,
    presentedTokens,
    close: () => server.close(),
  };
}
