// The transports a MockMCPServer serves.

/** How a request reached the server: HTTP (Streamable HTTP), a stdio pipe, or an in-memory pair. */
export type MockTransportKind = 'http' | 'stdio' | 'memory';
