// msw handlers that hand every request for an authorization server's origin to an
// in-process MockAuthorizationServer (give it a fixed `issuer`; it need not be started).
import { http, type HttpHandler } from 'msw';
import type { MockAuthorizationServer } from '../auth/mock-authorization-server.js';

export function oauthHandlers(authorizationServer: MockAuthorizationServer): HttpHandler[] {
  const { origin } = new URL(authorizationServer.issuer);
  return [http.all(`${origin}/*`, ({ request }) => authorizationServer.fetch(request))];
}
