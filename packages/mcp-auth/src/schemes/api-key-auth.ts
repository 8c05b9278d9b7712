// APIKeyAuth: a static key in a request header. Keys never go in a URL, where proxies,
// logs and browser history would keep them; options that ask for that are refused.
import type { McpAuthPlugin, McpAuthRequest } from '@tframex/mcp-auth-api';
import { McpConfigError } from '@tframex/mcp-api';
import { z } from 'zod';
import {
  HEADER_NAME_EXPECTED,
  HEADER_VALUE_EXPECTED,
  isAllowedHeaderName,
  isValidHeaderValue,
} from '../internal/header-rules.js';
import { parseOptions } from '../internal/parse-options.js';
import { REDACTED, SecretHolder } from '../internal/secret-holder.js';

export interface APIKeyAuthOptions {
  /** The key. Sent as the value of `headerName`, after `prefix` if one is set. */
  apiKey: string;
  /** Header that carries the key (default `X-API-Key`). */
  headerName?: string;
  /** Text before the key in the header value, e.g. `ApiKey` gives `ApiKey <key>`. */
  prefix?: string;
}

// Names people reach for when they want the key in the query string.
const URL_PLACEMENT_KEYS = ['in', 'query', 'queryParam', 'queryParameter', 'param', 'location'];

const schema = z.strictObject({
  apiKey: z
    .string({ error: 'a non-empty string' })
    .min(1, { error: 'a non-empty string' })
    .refine(isValidHeaderValue, { error: HEADER_VALUE_EXPECTED }),
  headerName: z
    .string({ error: HEADER_NAME_EXPECTED })
    .refine(isAllowedHeaderName, { error: HEADER_NAME_EXPECTED })
    .optional(),
  prefix: z
    .string({ error: 'a string' })
    .min(1, { error: 'a non-empty string' })
    .refine((value) => isValidHeaderValue(value) && !/\s/.test(value), {
      error: 'a single word without whitespace or control characters (e.g. ApiKey)',
    })
    .optional(),
});

/** Sends an API key in a header on every request. */
export class APIKeyAuth extends SecretHolder implements McpAuthPlugin {
  readonly name = 'api-key';
  readonly headerName: string;
  readonly #value: string;

  constructor(options: APIKeyAuthOptions) {
    super();
    if (typeof options === 'object' && options !== null) {
      const placement = URL_PLACEMENT_KEYS.find((key) => key in options);
      if (placement !== undefined) {
        throw new McpConfigError(
          `APIKeyAuth options: ${placement} is not supported: API keys are only sent in a header, never in a URL`,
          {
            field: placement,
            expected: 'headerName (API keys go in a header)',
            received: REDACTED,
          },
        );
      }
    }
    const parsed = parseOptions(schema, options, 'APIKeyAuth options', ['apiKey']);
    this.headerName = parsed.headerName ?? 'X-API-Key';
    this.#value = parsed.prefix ? `${parsed.prefix} ${parsed.apiKey}` : parsed.apiKey;
  }

  headers(_request: McpAuthRequest): Record<string, string> {
    return { [this.headerName]: this.#value };
  }

  protected describe(): Record<string, unknown> {
    return { name: this.name, headerName: this.headerName, apiKey: REDACTED };
  }
}
