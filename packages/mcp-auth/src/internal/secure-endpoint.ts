// Where credentials may be sent: https, or http to this machine only (RFC 8252 §8.3 loopback);
// never a URL with user info.

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isSecureEndpoint(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.username || url.password) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}
