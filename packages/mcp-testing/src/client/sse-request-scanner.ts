// Reads the JSON-RPC messages of an SSE stream as its bytes pass by, and reports the ids of the
// server-to-client requests among them (sampling, elicitation, roots). The stream itself is not
// touched: the transport parses it again on its own.

const SERVER_REQUEST_METHODS: ReadonlySet<string> = new Set([
  'sampling/createMessage',
  'elicitation/create',
  'roots/list',
]);

export class SseRequestScanner {
  readonly #decoder = new TextDecoder();
  readonly #onRequest: (id: string | number) => void;
  #pending = '';
  #data: string[] = [];

  constructor(onRequest: (id: string | number) => void) {
    this.#onRequest = onRequest;
  }

  push(chunk: Uint8Array): void {
    this.#pending += this.#decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = this.#pending.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.#pending.slice(0, end);
      const breakLength = this.#pending.startsWith('\r\n', end) ? 2 : 1;
      // A lone '\r' at the very end may be the first half of '\r\n': wait for the next chunk.
      if (breakLength === 1 && this.#pending[end] === '\r' && end === this.#pending.length - 1)
        return;
      this.#pending = this.#pending.slice(end + breakLength);
      this.#line(line);
    }
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#data.length > 0) this.#event(this.#data.join('\n'));
      this.#data = [];
      return;
    }
    if (line.startsWith('data:')) {
      const value = line.slice(5);
      this.#data.push(value.startsWith(' ') ? value.slice(1) : value);
    }
  }

  #event(data: string): void {
    // Only server requests matter; anything else (responses, notifications) is skipped cheaply.
    if (!data.includes('"method"') || !data.includes('"id"')) return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { method, id } = message as { method?: unknown; id?: unknown };
    if (typeof method !== 'string' || !SERVER_REQUEST_METHODS.has(method)) return;
    if (typeof id === 'string' || typeof id === 'number') this.#onRequest(id);
  }
}
