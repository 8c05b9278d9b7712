// Turns `resource updated` into events: re-reads the resource (one read at a time, updates
// that arrive meanwhile coalesce into one more read) and emits its contents, or only the
// entries appended since the last read when the resource is an append-only log.
import { McpProtocolError, type McpSession, type ReadResourceResult } from '@tframex/mcp-api';
import { payloadEvent, type McpStreamEventInit } from '../stream-event.js';
import type { McpResourceReadMode } from './stream-source.js';

export interface ResourceReaderInit {
  session: McpSession;
  uri: string;
  read: McpResourceReadMode;
  emit: (event: McpStreamEventInit) => void;
  reportError: (error: unknown, where: string) => void;
}

/** The contents as a value: JSON parsed when it is JSON, else the text, else the bytes (base64). */
export function contentsValue(result: ReadResourceResult): unknown {
  const first = result.contents[0];
  if (!first) return undefined;
  if ('text' in first && typeof first.text === 'string') {
    const text = first.text;
    const looksJson = first.mimeType?.includes('json') || /^\s*[[{"]/.test(text);
    if (looksJson) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }
    return text;
  }
  return 'blob' in first ? first.blob : undefined;
}

export class ResourceReader {
  readonly #init: ResourceReaderInit;
  /** Entries of the append-only log already emitted. */
  #cursor = 0;
  #reading: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(init: ResourceReaderInit) {
    this.#init = init;
  }

  /** In append mode, reads once so that only later entries become events. */
  async prime(): Promise<void> {
    if (this.#init.read !== 'append') return;
    const result = await this.#init.session.readResource(this.#init.uri);
    this.#cursor = this.#entries(result).length;
  }

  /** The resource changed: read it (again). */
  updated(): void {
    if (this.#stopped) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = this.#readLoop().finally(() => (this.#reading = undefined));
  }

  /** A gap: in append mode the cursor stays, so what was appended meanwhile is still read. */
  stop(): void {
    this.#stopped = true;
  }

  async #readLoop(): Promise<void> {
    do {
      this.#again = false;
      try {
        const result = await this.#init.session.readResource(this.#init.uri);
        if (this.#stopped) return;
        this.#emitFrom(result);
      } catch (error) {
        if (this.#stopped) return;
        this.#init.reportError(error, `reading ${this.#init.uri}`);
      }
    } while (this.#again && !this.#stopped);
  }

  #emitFrom(result: ReadResourceResult): void {
    const { uri, emit } = this.#init;
    if (this.#init.read === 'snapshot') {
      emit({ type: 'resource-updated', source: 'resource', uri, data: contentsValue(result) });
      return;
    }
    const entries = this.#entries(result);
    if (entries.length < this.#cursor) {
      emit({ type: 'gap', source: 'gap', reason: 'rotated', uri, data: undefined });
      this.#cursor = 0;
    }
    for (let index = this.#cursor; index < entries.length; index++) {
      emit(payloadEvent(entries[index], 'entry', 'resource', undefined, uri));
    }
    this.#cursor = entries.length;
  }

  /** The log's entries: a JSON array's items, or one per non-empty line (JSON lines). */
  #entries(result: ReadResourceResult): unknown[] {
    const value = contentsValue(result);
    if (Array.isArray(value)) return value;
    if (typeof value !== 'string' && value !== undefined) return [value];
    const lines = (value ?? '').split('\n').filter((line) => line.trim() !== '');
    return lines.map((line, index) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        if (index >= this.#cursor) {
          this.#init.reportError(
            new McpProtocolError(
              `Line ${index + 1} of ${this.#init.uri} is not JSON; kept as text`,
            ),
            `reading ${this.#init.uri}`,
          );
        }
        return line;
      }
    });
  }
}
