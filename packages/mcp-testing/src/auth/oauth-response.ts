// OAuth 2.0 error and token responses (RFC 6749 §5), shared by the authorization server's endpoints.

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** An OAuth error answer: `{ error, error_description }`, 400 unless said otherwise. */
export function oauthError(
  error: string,
  description: string,
  status = 400,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error, error_description: description },
    { status, headers: { ...NO_STORE, ...headers } },
  );
}

export function oauthJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: NO_STORE });
}
