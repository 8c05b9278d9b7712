// headlessAuthorization: an onAuthorizationUrl that follows the authorization URL's redirects
// itself, for authorization servers that approve without a user (test servers, CI, machine
// identities behind an SSO session). A server that shows a login page needs a browser instead.
import type { FetchFunction } from '@tframex/mcp-auth-api';
import { discardBody } from '../internal/http-body.js';
import { McpAuthError, McpConfigError } from '@tframex/mcp-api';
import type { AuthorizationUrlHandler } from './oauth2-auth-options.js';

export interface HeadlessAuthorizationOptions {
  /** fetch to use (default: the global fetch). */
  fetch?: FetchFunction;
  /** Redirect hops to follow before giving up (default 10). */
  maxRedirects?: number;
}

export function headlessAuthorization(
  options: HeadlessAuthorizationOptions = {},
): AuthorizationUrlHandler {
  const maxRedirects = options.maxRedirects ?? 10;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 1) {
    throw new McpConfigError(
      'headlessAuthorization: maxRedirects must be a positive whole number',
      {
        field: 'maxRedirects',
        expected: 'a positive whole number',
        received: maxRedirects,
      },
    );
  }
  const fetchFn: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));

  return async (authorizationUrl, { redirectUrl }) => {
    const target = new URL(redirectUrl);
    let url = authorizationUrl;
    for (let hop = 0; hop < maxRedirects; hop++) {
      let response: Response;
      try {
        response = await fetchFn(url, { redirect: 'manual' });
      } catch (cause) {
        throw new McpAuthError(`cannot reach ${url.origin} to authorize`, {
          reason: 'access_denied',
          retryable: true,
          cause,
        });
      }
      discardBody(response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        throw new McpAuthError(
          `the authorization server answered HTTP ${response.status} instead of redirecting: it needs a user (open the URL in a browser instead)`,
          { reason: 'access_denied', status: response.status },
        );
      }
      const next = new URL(location, url);
      // The redirect back is where the code is: it is returned, never requested.
      if (next.origin === target.origin && next.pathname === target.pathname) return next;
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new McpAuthError(`the authorization server redirected to a ${next.protocol} URL`, {
          reason: 'access_denied',
        });
      }
      url = next;
    }
    throw new McpAuthError(`no redirect back to ${target.href} within ${maxRedirects} hops`, {
      reason: 'access_denied',
    });
  };
}
