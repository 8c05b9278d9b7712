// Serves the four MCP lists in pages of `pageSize` entries with opaque cursors, on every
// transport and era, by rewriting list requests and answers on the wire: the SDK server lists
// everything, and the page is cut from its answer.
import type { JSONRPCRequest } from '@modelcontextprotocol/server';

const LIST_KEYS: Readonly<Record<string, string>> = {
  'tools/list': 'tools',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
  'prompts/list': 'prompts',
};

/** Which slice of a list one answer carries. */
export interface PageCut {
  readonly key: string;
  readonly offset: number;
  readonly size: number;
}

export type PagedRequest =
  | { readonly kind: 'whole' }
  | { readonly kind: 'page'; readonly message: JSONRPCRequest; readonly cut: PageCut }
  | { readonly kind: 'invalid-cursor'; readonly cursor: unknown };

const CURSOR_PREFIX = 'mock-page:';

function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');
}

function decodeCursor(cursor: unknown): number | undefined {
  if (typeof cursor !== 'string') return undefined;
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!text.startsWith(CURSOR_PREFIX)) return undefined;
  const offset = Number(text.slice(CURSOR_PREFIX.length));
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : undefined;
}

export class ListPaging {
  /** Entries per page; undefined serves every list whole (the SDK server's own behaviour). */
  pageSize: number | undefined;

  /** What to do with a request: pass it on whole, ask for the whole list and cut a page, or refuse its cursor. */
  classify(message: JSONRPCRequest): PagedRequest {
    const key = LIST_KEYS[message.method];
    const size = this.pageSize;
    if (key === undefined || size === undefined) return { kind: 'whole' };
    const params = (message.params ?? {}) as Record<string, unknown>;
    let offset = 0;
    if (params['cursor'] !== undefined) {
      const decoded = decodeCursor(params['cursor']);
      if (decoded === undefined) return { kind: 'invalid-cursor', cursor: params['cursor'] };
      offset = decoded;
    }
    const { cursor: _cursor, ...rest } = params;
    return {
      kind: 'page',
      message: { ...message, params: rest },
      cut: { key, offset, size },
    };
  }

  /** The page of a whole-list result. */
  static cut(result: Record<string, unknown>, cut: PageCut): Record<string, unknown> {
    const all = result[cut.key];
    if (!Array.isArray(all)) return result;
    const { nextCursor: _ignored, ...rest } = result;
    const end = cut.offset + cut.size;
    return {
      ...rest,
      [cut.key]: all.slice(cut.offset, end),
      ...(end < all.length ? { nextCursor: encodeCursor(end) } : {}),
    };
  }
}
