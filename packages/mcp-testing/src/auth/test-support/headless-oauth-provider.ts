// An OAuthClientProvider for the SDK's own auth machinery that completes authorization
// without a browser: it follows the authorize URL itself and keeps the callback parameters
// for `transport.finishAuth(...)`.
import type {
  OAuthClientMetadata,
  OAuthClientProvider,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';

export class HeadlessOAuthProvider implements OAuthClientProvider {
  readonly authorizationUrls: URL[] = [];
  callback: URLSearchParams | undefined;
  #client: StoredOAuthClientInformation | undefined;
  #tokens: StoredOAuthTokens | undefined;
  #verifier = '';
  readonly #redirect: string;
  readonly #scope: string | undefined;

  constructor(
    options: { redirect?: string; scope?: string; client?: StoredOAuthClientInformation } = {},
  ) {
    this.#redirect = options.redirect ?? 'http://127.0.0.1:9/callback';
    this.#scope = options.scope;
    this.#client = options.client;
  }

  get redirectUrl(): string {
    return this.#redirect;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      redirect_uris: [this.#redirect],
      client_name: 'headless test client',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...(this.#scope === undefined ? {} : { scope: this.#scope }),
    };
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    return this.#client;
  }

  saveClientInformation(information: StoredOAuthClientInformation): void {
    this.#client = information;
  }

  tokens(): StoredOAuthTokens | undefined {
    return this.#tokens;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.#tokens = tokens;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizationUrls.push(url);
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (location === null)
      throw new Error(`The authorize endpoint answered ${response.status} without a redirect`);
    this.callback = new URL(location).searchParams;
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }
}
