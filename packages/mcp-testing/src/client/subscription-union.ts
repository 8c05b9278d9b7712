// The subscriptions of one connection, applied to the server as their union: one
// `subscriptions/listen` stream on a 2026-07-28 connection (each notification arrives once, not
// once per subscription), `resources/subscribe` per URI on a legacy one (a URI stays
// subscribed while any subscription wants it). Changes are applied one after another.
import type { McpSubscriptionFilter } from '@tframex/mcp-api';
import type { Client, RequestOptions } from '@modelcontextprotocol/client';
import { ignore } from '../config/ignore.js';

interface ListenStream {
  readonly key: string;
  readonly honoured: McpSubscriptionFilter;
  close(): Promise<void>;
}

/** How a listen stream ended when the client did not close it. */
export type StreamEnd = 'graceful' | 'remote';

export class SubscriptionUnion<M extends { readonly requested: McpSubscriptionFilter }> {
  readonly #client: Client;
  readonly #members = new Set<M>();
  readonly #onBroken: (members: M[], end: StreamEnd) => void;
  #stream: ListenStream | undefined;
  #legacyUris = new Set<string>();
  #legacyHonoured: McpSubscriptionFilter = {};
  #sync: Promise<void> = Promise.resolve();
  #closed = false;

  /** `onBroken` hears when the server ends or drops the listen stream (modern era). */
  constructor(client: Client, onBroken: (members: M[], end: StreamEnd) => void) {
    this.#client = client;
    this.#onBroken = onBroken;
  }

  /** Whether `member` is part of the union as applied now. */
  holds(member: M): boolean {
    if (!this.#members.has(member) || this.#closed) return false;
    return this.#client.getProtocolEra() !== 'modern' || this.#stream !== undefined;
  }

  /** What the server agreed to of `member`'s filter. */
  honouredFor(member: M): McpSubscriptionFilter {
    const agreed =
      this.#client.getProtocolEra() === 'modern' ? this.#stream?.honoured : this.#legacyHonoured;
    const wanted = member.requested;
    const resources = wanted.resources?.filter((uri) => agreed?.resources?.includes(uri));
    return {
      ...(wanted.toolsListChanged && agreed?.toolsListChanged ? { toolsListChanged: true } : {}),
      ...(wanted.resourcesListChanged && agreed?.resourcesListChanged
        ? { resourcesListChanged: true }
        : {}),
      ...(wanted.promptsListChanged && agreed?.promptsListChanged
        ? { promptsListChanged: true }
        : {}),
      ...(resources?.length ? { resources } : {}),
    };
  }

  /** Adds a member and applies the union; rejects (and leaves it out) when the server refuses. */
  async add(member: M, request: RequestOptions): Promise<void> {
    this.#members.add(member);
    try {
      await this.#apply(request);
    } catch (error) {
      this.#members.delete(member);
      throw error;
    }
  }

  /** Removes a member and applies the smaller union (best effort). */
  async remove(member: M, request: RequestOptions): Promise<void> {
    if (!this.#members.delete(member)) return;
    await this.#apply(request).catch(ignore);
  }

  /** Forgets everything without talking to the server (its connection is gone). */
  close(): void {
    this.#closed = true;
    this.#members.clear();
    this.#stream = undefined;
  }

  #apply(request: RequestOptions): Promise<void> {
    const run = this.#sync.then(() => (this.#closed ? undefined : this.#applyNow(request)));
    this.#sync = run.catch(ignore);
    return run;
  }

  #union(): Required<McpSubscriptionFilter> {
    const union = {
      resources: new Set<string>(),
      toolsListChanged: false,
      resourcesListChanged: false,
      promptsListChanged: false,
    };
    for (const { requested } of this.#members) {
      for (const uri of requested.resources ?? []) union.resources.add(uri);
      union.toolsListChanged ||= requested.toolsListChanged === true;
      union.resourcesListChanged ||= requested.resourcesListChanged === true;
      union.promptsListChanged ||= requested.promptsListChanged === true;
    }
    return { ...union, resources: [...union.resources].sort() };
  }

  async #applyNow(request: RequestOptions): Promise<void> {
    const union = this.#union();
    if (this.#client.getProtocolEra() === 'modern') await this.#applyModern(union, request);
    else await this.#applyLegacy(union, request);
  }

  async #applyModern(union: Required<McpSubscriptionFilter>, request: RequestOptions) {
    const key = JSON.stringify(union);
    const old = this.#stream;
    if (old?.key === key) return;
    const wantsAnything =
      union.resources.length > 0 ||
      union.toolsListChanged ||
      union.resourcesListChanged ||
      union.promptsListChanged;
    this.#stream = undefined;
    if (wantsAnything) {
      const listen = await this.#client.listen(
        {
          ...(union.toolsListChanged ? { toolsListChanged: true } : {}),
          ...(union.resourcesListChanged ? { resourcesListChanged: true } : {}),
          ...(union.promptsListChanged ? { promptsListChanged: true } : {}),
          ...(union.resources.length ? { resourceSubscriptions: union.resources } : {}),
        },
        request,
      );
      const agreed = listen.honoredFilter;
      const stream: ListenStream = {
        key,
        honoured: {
          ...(agreed.toolsListChanged ? { toolsListChanged: true } : {}),
          ...(agreed.resourcesListChanged ? { resourcesListChanged: true } : {}),
          ...(agreed.promptsListChanged ? { promptsListChanged: true } : {}),
          ...(agreed.resourceSubscriptions?.length
            ? { resources: [...agreed.resourceSubscriptions] }
            : {}),
        },
        close: () => listen.close(),
      };
      this.#stream = stream;
      void listen.closed.then((end) => {
        // Only the stream in use matters: older ones were replaced on purpose.
        if (end === 'local' || this.#stream !== stream || this.#closed) return;
        this.#stream = undefined;
        this.#onBroken([...this.#members], end);
      });
    }
    // The new stream is open before the old one closes: a moment of overlap, never a gap.
    if (old) await old.close().catch(ignore);
  }

  async #applyLegacy(union: Required<McpSubscriptionFilter>, request: RequestOptions) {
    const capabilities = this.#client.getServerCapabilities();
    const wanted = new Set(union.resources);
    for (const uri of wanted) {
      if (this.#legacyUris.has(uri)) continue;
      await this.#client.subscribeResource({ uri }, request);
      this.#legacyUris.add(uri);
    }
    for (const uri of [...this.#legacyUris]) {
      if (wanted.has(uri)) continue;
      this.#legacyUris.delete(uri);
      await this.#client.unsubscribeResource({ uri }, request).catch(ignore);
    }
    this.#legacyHonoured = {
      ...(union.toolsListChanged && capabilities?.tools?.listChanged
        ? { toolsListChanged: true }
        : {}),
      ...(union.resourcesListChanged && capabilities?.resources?.listChanged
        ? { resourcesListChanged: true }
        : {}),
      ...(union.promptsListChanged && capabilities?.prompts?.listChanged
        ? { promptsListChanged: true }
        : {}),
      ...(wanted.size > 0 ? { resources: [...wanted] } : {}),
    };
  }
}
