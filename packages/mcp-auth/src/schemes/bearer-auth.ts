// BearerAuth: `Authorization: Bearer <token>` from a fixed token or a getter. With a getter,
// a refused token is asked for again once (the getter is told why), so a caller that caches
// tokens can hand out a fresh one.
import type {
  Awaitable,
  McpAuthChallenge,
  McpAuthDecision,
  McpAuthPlugin,
  McpAuthRequest,
} from '@tframex/mcp-auth-api';
import { McpAuthError } from '@tframex/mcp-api';
import { z } from 'zod';
import { HEADER_VALUE_EXPECTED, isValidHeaderValue } from '../internal/header-rules.js';
import { parseOptions } from '../internal/parse-options.js';
import { REDACTED, SecretHolder } from '../internal/secret-holder.js';

/** Why the getter is called. */
export interface BearerTokenContext {
  /** `request`: a token for the next request. `refused`: the server refused the last one. */
  reason: 'request' | 'refused';
  /** URL of the request the token is for. */
  url: string;
}

export type BearerTokenGetter = (context: BearerTokenContext) => Awaitable<string>;

export interface BearerAuthOptions {
  /** The token, or a function returning it (called for every request; cache inside it). */
  token: string | BearerTokenGetter;
}

const schema = z.strictObject({
  token: z.union(
    [
      z
        .string()
        .min(1)
        .refine((value) => isValidHeaderValue(value) && !/\s/.test(value)),
      z.custom<BearerTokenGetter>((value) => typeof value === 'function'),
    ],
    { error: 'a non-empty token without whitespace, or a function that returns one' },
  ),
});

export class BearerAuth extends SecretHolder implements McpAuthPlugin {
  readonly name = 'bearer';
  readonly #token: string | BearerTokenGetter;
  #lastSent: string | undefined;

  constructor(options: BearerAuthOptions) {
    super();
    this.#token = parseOptions(schema, options, 'BearerAuth options', ['token']).token;
  }

  async headers(request: McpAuthRequest): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.#get({ reason: 'request', url: request.url })}` };
  }

  async onUnauthorized(challenge: McpAuthChallenge): Promise<McpAuthDecision> {
    if (typeof this.#token === 'string' || !challenge.hadCredentials || challenge.status !== 401) {
      return 'fail';
    }
    if (challenge.attempt > 1) return 'fail';
    // Ask once for a replacement; retrying with the same token would only be refused again.
    const sent = this.#lastSent;
    const fresh = await this.#get({ reason: 'refused', url: challenge.url });
    return fresh === sent ? 'fail' : 'retry';
  }

  async #get(context: BearerTokenContext): Promise<string> {
    if (typeof this.#token === 'string') return this.#token;
    let token: unknown;
    try {
      token = await this.#token(context);
    } catch (cause) {
      throw new McpAuthError('BearerAuth: the token getter failed', { cause });
    }
    if (
      typeof token !== 'string' ||
      token.length === 0 ||
      !isValidHeaderValue(token) ||
      /\s/.test(token)
    ) {
      throw new McpAuthError(`BearerAuth: the token getter must return ${HEADER_VALUE_EXPECTED}`, {
        reason: 'invalid_token',
      });
    }
    if (context.reason === 'request') this.#lastSent = token;
    return token;
  }

  protected describe(): Record<string, unknown> {
    return {
      name: this.name,
      token: typeof this.#token === 'string' ? REDACTED : '[getter]',
    };
  }
}
