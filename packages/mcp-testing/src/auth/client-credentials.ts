// Reads how a client authenticated at a token-type endpoint (RFC 6749 §2.3): HTTP Basic
// (client_secret_basic), form fields (client_secret_post), or only its id (public client).

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface PresentedClient {
  method: ClientAuthMethod;
  clientId: string;
  clientSecret: string | undefined;
}

/** Form-urlencoded decoding (`+` is a space), as RFC 6749 §2.3.1 requires inside Basic. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replaceAll('+', ' '));
}

/** The presented client, `undefined` when none was, or `'malformed'`. */
export function presentedClient(
  request: Request,
  form: URLSearchParams,
): PresentedClient | undefined | 'malformed' {
  const header = request.headers.get('authorization');
  if (header !== null) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!match) return 'malformed';
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'malformed';
    try {
      return {
        method: 'client_secret_basic',
        clientId: formDecode(decoded.slice(0, colon)),
        clientSecret: formDecode(decoded.slice(colon + 1)),
      };
    } catch {
      return 'malformed';
    }
  }
  const clientId = form.get('client_id');
  if (clientId === null) return undefined;
  const clientSecret = form.get('client_secret');
  return clientSecret === null
    ? { method: 'none', clientId, clientSecret: undefined }
    : { method: 'client_secret_post', clientId, clientSecret };
}
