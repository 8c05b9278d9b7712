// @tframex/mcp-auth/node: the Node-only pieces — client certificates (mutual TLS), a fetch
// that presents them, tokens in an encrypted file, the loopback redirect listener and a
// browser opener for CLIs, and workload identity tokens read from a file or the environment.

export type { CertAuthOptions } from './tls/cert-auth.js';
export { CertAuth } from './tls/cert-auth.js';
export type { CreateTlsFetchOptions, TlsFetch } from './tls/create-tls-fetch.js';
export { createTlsFetch } from './tls/create-tls-fetch.js';
export type { FileTokenStoreOptions } from './oauth/file-token-store.js';
export { FileTokenStore } from './oauth/file-token-store.js';
export type { LoopbackRedirect, LoopbackRedirectOptions } from './oauth/loopback-redirect.js';
export { startLoopbackRedirect } from './oauth/loopback-redirect.js';
export { openInBrowser } from './oauth/open-in-browser.js';
export { assertionFromEnv, assertionFromFile } from './oauth/assertion-sources.js';
