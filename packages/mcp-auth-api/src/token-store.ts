// TokenStore: where OAuth credentials live between requests and runs.

/** OAuth tokens as a store keeps them. */
export interface StoredTokens {
  accessToken: string;
  tokenType: string;
  /** Epoch milliseconds at which the access token expires, when known. */
  expiresAt?: number;
  refreshToken?: string;
  /** Space-separated granted scopes. */
  scope?: string;
  idToken?: string;
  /** Registered client credentials (dynamic registration), kept with the tokens. */
  client?: { clientId: string; clientSecret?: string; [key: string]: unknown };
}

/**
 * Persists tokens by key. Keys are opaque strings chosen by the plugin (issuer, client id
 * and resource), so one store can hold credentials for many servers.
 */
export interface TokenStore {
  get(key: string): Promise<StoredTokens | undefined>;
  set(key: string, tokens: StoredTokens): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Keeps tokens in memory for the life of the process: the default store. */
export class InMemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredTokens>();

  async get(key: string): Promise<StoredTokens | undefined> {
    const tokens = this.#tokens.get(key);
    return tokens && structuredClone(tokens);
  }

  async set(key: string, tokens: StoredTokens): Promise<void> {
    this.#tokens.set(key, structuredClone(tokens));
  }

  async delete(key: string): Promise<void> {
    this.#tokens.delete(key);
  }
}
