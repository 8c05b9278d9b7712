// FakeOpenAIServer: a FAKE model server for tests. It speaks the OpenAI chat-completions wire
// format over real HTTP on 127.0.0.1 but has no model behind it: it replays scripted answers
// (JSON bodies, SSE chunk streams, error statuses, hangs) in order and records every request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeAnswer =
  /** A JSON body (a chat.completion, or an error object with `status`). */
  | { json: unknown; status?: number; headers?: Record<string, string> }
  /** An SSE stream: each entry is one event's data (objects are JSON-encoded); `[DONE]` is not added. */
  | { sse: Array<unknown>; headers?: Record<string, string> }
  /** Raw body text. */
  | { raw: string; status?: number; headers?: Record<string, string> }
  /** Never answers (until the client gives up). */
  | { hang: true };

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Record<string, unknown>;
}

export class FakeOpenAIServer implements AsyncDisposable {
  readonly requests: FakeRequest[] = [];
  readonly #script: FakeAnswer[] = [];
  readonly #server: Server;
  readonly #waiters: Array<() => void> = [];
  #baseUrl = '';

  private constructor() {
    this.#server = createServer((request, response) => void this.#handle(request, response));
  }

  /** Starts on an ephemeral port of 127.0.0.1. */
  static async start(script: FakeAnswer[] = []): Promise<FakeOpenAIServer> {
    const server = new FakeOpenAIServer();
    server.#script.push(...script);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    const { port } = server.#server.address() as AddressInfo;
    server.#baseUrl = `http://127.0.0.1:${port}/v1`;
    return server;
  }

  /** `http://127.0.0.1:<port>/v1`. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** Adds answers to the end of the script. */
  enqueue(...answers: FakeAnswer[]): void {
    this.#script.push(...answers);
  }

  /** Resolves once `count` requests have arrived. */
  async waitForRequests(count: number): Promise<void> {
    while (this.requests.length < count) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Recorded as empty; tests assert on what they sent.
    }
    this.requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body,
    });
    for (const wake of this.#waiters.splice(0)) wake();
    const answer = this.#script.shift();
    if (!answer) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: { message: 'the fake server has no scripted answer' } }),
      );
      return;
    }
    if ('hang' in answer) return;
    if ('sse' in answer) {
      response.writeHead(200, { 'content-type': 'text/event-stream', ...answer.headers });
      for (const data of answer.sse) {
        response.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
      }
      response.end();
      return;
    }
    if ('raw' in answer) {
      response.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
      response.end(answer.raw);
      return;
    }
    response.writeHead(answer.status ?? 200, {
      'content-type': 'application/json',
      ...answer.headers,
    });
    response.end(JSON.stringify(answer.json));
  }
}
