// What the server saw of each HTTP request, including those that carried no JSON-RPC request
// (the GET stream of a legacy session, DELETE at session end, metadata lookups).

export interface RecordedHttpRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly status: number;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly sessionId: string | undefined;
  /** Epoch milliseconds at arrival. */
  readonly receivedAt: number;
}
