// defineAuthPlugin: the few lines a team writes for its own scheme. The definition is
// checked once; at run time its failures become McpAuthError, its headers are checked
// (no header injection, no framing headers) and printing the plugin shows only its name.
import type {
  Awaitable,
  McpAuthChallenge,
  McpAuthDecision,
  McpAuthPlugin,
  McpAuthRequest,
  McpTlsMaterial,
} from '@tframex/mcp-auth-api';
import { McpAuthError, McpError } from '@tframex/mcp-api';
import { z } from 'zod';
import { isAllowedHeaderName, isValidHeaderValue } from '../internal/header-rules.js';
import { parseOptions } from '../internal/parse-options.js';
import { redactObject } from '../internal/secret-holder.js';

export interface AuthPluginDefinition {
  /** Shown in logs and errors: `hmac`, `gateway-key`, ... */
  name: string;
  headers?(request: McpAuthRequest): Awaitable<Record<string, string> | undefined>;
  onUnauthorized?(challenge: McpAuthChallenge): Awaitable<McpAuthDecision>;
  tls?(): Awaitable<McpTlsMaterial | undefined>;
  oauthProvider?(): object | undefined;
  signOut?(): Promise<void>;
}

const optionalFunction = z
  .custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
    error: 'a function',
  })
  .optional();

const schema = z.object({
  name: z.string({ error: 'a non-empty string' }).regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]*$/, {
    error: 'a non-empty name of letters, digits and . _ : + - (e.g. hmac)',
  }),
  headers: optionalFunction,
  onUnauthorized: optionalFunction,
  tls: optionalFunction,
  oauthProvider: optionalFunction,
  signOut: optionalFunction,
});

function asAuthError(name: string, what: string, cause: unknown): unknown {
  return McpError.isInstance(cause)
    ? cause
    : new McpAuthError(`auth plugin "${name}" failed to ${what}`, { cause });
}

/** Checks what a plugin's `headers()` returned; a bad header is a bug in the plugin. */
export function checkPluginHeaders(
  name: string,
  headers: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers !== 'object' || headers === null) {
    throw new McpAuthError(`auth plugin "${name}" returned headers that are not an object`);
  }
  for (const [key, value] of Object.entries(headers)) {
    if (!isAllowedHeaderName(key)) {
      throw new McpAuthError(`auth plugin "${name}" may not set header "${key}"`);
    }
    if (typeof value !== 'string' || !isValidHeaderValue(value)) {
      // The value may be a secret: name the header, never show the value.
      throw new McpAuthError(
        `auth plugin "${name}" returned an invalid value for header "${key}" (control characters or not a string)`,
      );
    }
  }
  return headers;
}

/** Turns a definition into a checked, redaction-safe `McpAuthPlugin`. */
export function defineAuthPlugin(definition: AuthPluginDefinition): McpAuthPlugin {
  const parsed = parseOptions(schema, definition, 'defineAuthPlugin definition');
  const { name } = parsed;
  const plugin: McpAuthPlugin = { name };

  if (definition.headers) {
    const headers = definition.headers.bind(definition);
    plugin.headers = async (request) => {
      let result: Record<string, string> | undefined;
      try {
        result = await headers(request);
      } catch (cause) {
        throw asAuthError(name, 'produce headers', cause);
      }
      return checkPluginHeaders(name, result);
    };
  }
  if (definition.onUnauthorized) {
    const onUnauthorized = definition.onUnauthorized.bind(definition);
    plugin.onUnauthorized = async (challenge) => {
      let decision: unknown;
      try {
        decision = await onUnauthorized(challenge);
      } catch (cause) {
        throw asAuthError(name, 'handle a refused request', cause);
      }
      if (decision !== 'retry' && decision !== 'fail') {
        throw new McpAuthError(`auth plugin "${name}" must answer 'retry' or 'fail'`);
      }
      return decision;
    };
  }
  if (definition.tls) plugin.tls = definition.tls.bind(definition);
  if (definition.oauthProvider) plugin.oauthProvider = definition.oauthProvider.bind(definition);
  if (definition.signOut) plugin.signOut = definition.signOut.bind(definition);

  return Object.freeze(redactObject(plugin, () => ({ name }), 'AuthPlugin'));
}
