// Where tokens come from for one MCP server: the authorization server (its URL, metadata and
// issuer) and the resource indicator. Found by discovery (RFC 9728 → RFC 8414 / OIDC) or built
// from a configured token endpoint.
import type {
  AuthorizationServerMetadata,
  OAuthProtectedResourceMetadata,
} from '@modelcontextprotocol/client';

export interface AuthContext {
  /** The MCP server URL the context was built for. */
  serverUrl: string;
  /** Base URL the SDK's OAuth helpers resolve default endpoints against. */
  authorizationServerUrl: string;
  /** Authorization server metadata; undefined for a 2025-03-26 server without any (default endpoints). */
  metadata: AuthorizationServerMetadata | undefined;
  /** Issuer identifier credentials are bound to. */
  issuer: string;
  /** Whether `issuer` comes from validated metadata or configuration (and can check `iss`). */
  issuerVerified: boolean;
  /** RFC 8707 resource indicator to send, if any. */
  resource: string | undefined;
  /** The protected resource metadata, when the server has it. */
  resourceMetadata: OAuthProtectedResourceMetadata | undefined;
  /** Whether this context came from discovery (and may go stale). */
  discovered: boolean;
}
