// Which scope to ask for (the MCP scope selection strategy): the server's challenge, else
// everything its protected resource metadata lists, else nothing. Configured scopes are
// always included; a step-up adds the challenged scope to what was asked before (SEP-2350).
import { computeScopeUnion } from '@modelcontextprotocol/client';
import type { AuthContext } from './auth-context.js';

export function selectScope(
  configured: string | undefined,
  challenged: string | undefined,
  context: AuthContext,
): string | undefined {
  if (configured !== undefined || challenged !== undefined) {
    return computeScopeUnion(configured, challenged);
  }
  const supported = context.resourceMetadata?.scopes_supported;
  return supported && supported.length > 0 ? supported.join(' ') : undefined;
}

/**
 * Adds `offline_access` when the authorization server offers it and the grant can use a
 * refresh token (SEP-2207); never asks for it where it is not offered.
 */
export function withOfflineAccess(
  scope: string | undefined,
  context: AuthContext,
): string | undefined {
  if (scope === undefined) return undefined;
  if (!context.metadata?.scopes_supported?.includes('offline_access')) return scope;
  return computeScopeUnion(scope, 'offline_access');
}

/** Whether every scope in `required` is in `granted`. */
export function scopeCovers(granted: string | undefined, required: string | undefined): boolean {
  const have = new Set((granted ?? '').split(/\s+/).filter(Boolean));
  return (required ?? '').split(/\s+/).every((scope) => scope === '' || have.has(scope));
}
