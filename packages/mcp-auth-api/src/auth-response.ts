// McpAuthResponse: what an auth plugin's optional `onResponse` sees of an answer, for schemes
// whose servers hand out state on any response (a DPoP nonce, RFC 9449 §8.2 and §9).

/** An answer to a request that carried a plugin's credentials. */
export interface McpAuthResponse {
  /** Absolute URL of the request. */
  url: string;
  /** HTTP method of the request. */
  method: string;
  status: number;
  /** Response headers, names in lower case. */
  headers: Readonly<Record<string, string>>;
  /** Alias of the MCP server. */
  server?: string;
}
