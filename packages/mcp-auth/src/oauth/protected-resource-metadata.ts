// RFC 9728 protected resource metadata: fetched from the URL a WWW-Authenticate challenge
// names, else from the well-known URLs (path-aware first, then the root). A server without
// it (404) is an older server; anything else that goes wrong is a discovery failure.
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/client';
import type { FetchFunction } from '@tframex/mcp-auth-api';
import { McpAuthError } from '@tframex/mcp-api';
import { z } from 'zod';
import { discardBody, readLimitedText } from '../internal/http-body.js';

const MAX_METADATA_BYTES = 256 * 1024;

const schema = z.looseObject({
  resource: z.string().refine((value) => URL.canParse(value)),
  authorization_servers: z.array(z.string().refine((value) => URL.canParse(value))).optional(),
  scopes_supported: z.array(z.string()).optional(),
});

function wellKnownUrls(serverUrl: URL): URL[] {
  const path = serverUrl.pathname.endsWith('/')
    ? serverUrl.pathname.slice(0, -1)
    : serverUrl.pathname;
  const root = new URL('/.well-known/oauth-protected-resource', serverUrl.origin);
  if (path === '') return [root];
  const pathAware = new URL(`/.well-known/oauth-protected-resource${path}`, serverUrl.origin);
  pathAware.search = serverUrl.search;
  return [pathAware, root];
}

/** Reads a JSON document, refusing oversized bodies (metadata is small; a huge one is hostile). */
export async function readJsonDocument(response: Response, what: string): Promise<unknown> {
  const text = await readLimitedText(response, MAX_METADATA_BYTES);
  if (text === undefined) {
    throw new McpAuthError(`${what} is larger than ${MAX_METADATA_BYTES} bytes`, {
      reason: 'discovery-failed',
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new McpAuthError(`${what} is not JSON`, { reason: 'discovery-failed', cause });
  }
}

/**
 * The protected resource metadata of `serverUrl`, or undefined when the server publishes none.
 * `metadataUrl` (from a challenge) is the only place looked at when given.
 */
export async function fetchProtectedResourceMetadata(
  serverUrl: string,
  metadataUrl: string | undefined,
  fetchFn: FetchFunction,
  protocolVersion: string,
): Promise<OAuthProtectedResourceMetadata | undefined> {
  const candidates = metadataUrl ? [new URL(metadataUrl)] : wellKnownUrls(new URL(serverUrl));
  for (const url of candidates) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new McpAuthError(`protected resource metadata URL ${url.href} is not http(s)`, {
        reason: 'discovery-failed',
      });
    }
    let response: Response;
    try {
      response = await fetchFn(url, {
        headers: { accept: 'application/json', 'mcp-protocol-version': protocolVersion },
        redirect: 'manual',
      });
    } catch (cause) {
      throw new McpAuthError(`cannot reach ${url.href} for protected resource metadata`, {
        reason: 'discovery-failed',
        retryable: true,
        cause,
      });
    }
    if (response.status >= 400 && response.status < 500) {
      discardBody(response);
      continue; // not published here; try the next place
    }
    if (!response.ok) {
      discardBody(response);
      throw new McpAuthError(
        `protected resource metadata at ${url.href} answered HTTP ${response.status}`,
        { reason: 'discovery-failed', status: response.status, retryable: response.status >= 500 },
      );
    }
    const parsed = schema.safeParse(
      await readJsonDocument(response, `protected resource metadata at ${url.href}`),
    );
    if (!parsed.success) {
      throw new McpAuthError(
        `protected resource metadata at ${url.href} is malformed (it needs "resource" and, if present, URL "authorization_servers")`,
        { reason: 'discovery-failed', cause: parsed.error },
      );
    }
    return parsed.data as OAuthProtectedResourceMetadata;
  }
  if (metadataUrl) {
    throw new McpAuthError(`protected resource metadata at ${metadataUrl} is not available`, {
      reason: 'discovery-failed',
    });
  }
  return undefined;
}
