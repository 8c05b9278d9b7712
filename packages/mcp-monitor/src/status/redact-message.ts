// Error messages leave the monitor (status, JSON, the dashboard page): credentials that an
// emitter let slip into one are cut out first — URL user info, secret-looking query
// parameters and Authorization-style tokens.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
const SECRET_PARAMETER =
  /([?&;][^=&\s]*(?:token|key|secret|password|passwd|auth|signature|sig|session|code)[^=&\s]*=)[^&\s#]+/gi;
const SCHEME_TOKEN = /\b(bearer|basic|dpop|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

export function redactMessage(message: string): string {
  return message
    .replace(URL_USERINFO, '$1[redacted]@')
    .replace(SECRET_PARAMETER, '$1[redacted]')
    .replace(SCHEME_TOKEN, '$1 [redacted]');
}
