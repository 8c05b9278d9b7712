// A Response for node:http answers without the WHATWG machinery behind `new Response(...)`
// (a body stream, transferables and Headers validation for every answer): buffered bodies
// stay a Buffer until read, headers read Node's parsed object. It passes `instanceof
// Response` and offers what fetch callers use: status, ok, headers, text, json, bytes,
// arrayBuffer, body, clone.
import type { IncomingHttpHeaders } from 'node:http';

/** Read-only headers over Node's parsed response headers (names already lower-cased). */
export class LeanHeaders {
  readonly #raw: IncomingHttpHeaders;
  constructor(raw: IncomingHttpHeaders) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const value = this.#raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.#raw[name.toLowerCase()] !== undefined;
  }
  getSetCookie(): string[] {
    return this.#raw['set-cookie'] ?? [];
  }
  forEach(callback: (value: string, key: string, parent: LeanHeaders) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
  *entries(): IterableIterator<[string, string]> {
    for (const key of Object.keys(this.#raw).sort()) {
      const value = this.get(key);
      if (value !== null) yield [key, value];
    }
  }
  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}
Object.setPrototypeOf(LeanHeaders.prototype, Headers.prototype);

type Body =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'stream'; stream: ReadableStream<Uint8Array> }
  | { kind: 'none' };

export class LeanResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
  readonly redirected = false;
  readonly type = 'basic';
  #body: Body;
  #used = false;
  #stream: ReadableStream<Uint8Array> | null | undefined;

  constructor(
    status: number,
    statusText: string,
    headers: IncomingHttpHeaders,
    body: Body,
    url: string,
  ) {
    this.status = status;
    this.statusText = statusText;
    this.headers = new LeanHeaders(headers) as unknown as Headers;
    this.#body = body;
    this.url = url;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
  get bodyUsed(): boolean {
    return this.#used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#stream !== undefined) return this.#stream;
    const body = this.#body;
    if (body.kind === 'none') this.#stream = null;
    else if (body.kind === 'stream') this.#stream = body.stream;
    else {
      const bytes = body.bytes;
      this.#stream = new ReadableStream<Uint8Array>({
        start(controller) {
          if (bytes.byteLength > 0) controller.enqueue(bytes);
          controller.close();
        },
      });
    }
    return this.#stream;
  }

  async bytes(): Promise<Uint8Array> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    const body = this.#body;
    if (body.kind === 'none') return new Uint8Array(0);
    if (body.kind === 'bytes' && this.#stream === undefined) return body.bytes;
    const reader = this.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  }

  async text(): Promise<string> {
    const bytes = await this.bytes();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): LeanResponse {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed');
    const body = this.#body;
    if (body.kind === 'stream' || (body.kind === 'bytes' && this.#stream !== undefined)) {
      const [mine, theirs] = this.body!.tee();
      this.#stream = mine;
      this.#body = { kind: 'stream', stream: mine };
      return new LeanResponse(
        this.status,
        this.statusText,
        {},
        { kind: 'stream', stream: theirs },
        this.url,
      ).#withHeaders(this.headers);
    }
    return new LeanResponse(this.status, this.statusText, {}, body, this.url).#withHeaders(
      this.headers,
    );
  }

  #withHeaders(headers: Headers): this {
    (this as { headers: Headers }).headers = headers;
    return this;
  }
}
Object.setPrototypeOf(LeanResponse.prototype, Response.prototype);
