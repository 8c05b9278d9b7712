// Flattened tool names for LLMs: `server__tool`, within the 64-character `^[a-zA-Z0-9_-]+$`
// limit LLM APIs impose, the same in every run, and mapped back to (server, tool).
import { McpConfigError } from '../errors/mcp-config-error.js';

/** What every flattened name matches (with the default `maxLength` of 64). */
export const FLAT_TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

const SEPARATOR = '__';
const HASH_LENGTH = 10;
const SAFE = /^[A-Za-z0-9_-]+$/;

export interface ResolvedToolName {
  /** Alias of the server. */
  server: string;
  /** The tool's own name on its server. */
  tool: string;
}

export interface ToolNamerOptions {
  /** Longest name produced (default 64; at least 24 so a hashed name still fits). */
  maxLength?: number;
}

/** 32-bit FNV-1a over UTF-16 units with a murmur3 finaliser; `seed` picks the lane. */
function hash32(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** A short stable digest of (server, tool, salt): 10 base-36 characters, ~51 bits. */
function digest(server: string, tool: string, salt: number): string {
  const text = `${server}\u0000${tool}\u0000${salt}`;
  const high = hash32(text, 0x9e3779b9).toString(36).padStart(7, '0');
  const low = hash32(text, 0x7f4a7c15).toString(36).padStart(7, '0');
  return (high + low).slice(-HASH_LENGTH);
}

const sanitize = (text: string, fallback: string): string =>
  text.length === 0
    ? fallback
    : Array.from(text, (char) => (SAFE.test(char) ? char : '_')).join('');

/** Whether `server__tool` can stand as is and still be split back unambiguously. */
function isPlain(server: string, tool: string, maxLength: number): boolean {
  return (
    SAFE.test(server) &&
    SAFE.test(tool) &&
    !server.includes(SEPARATOR) &&
    !server.endsWith('_') &&
    server.length + SEPARATOR.length + tool.length <= maxLength
  );
}

/**
 * The flattened name of `tool` on `server`, a pure function of its inputs: `server__tool`
 * when that is already a valid, unambiguous name within `maxLength`; otherwise both parts
 * sanitised (other characters become `_`), truncated, and suffixed with `_` and a stable
 * 10-character digest of the original pair, so different pairs stay apart. `maxLength` is
 * at least 24; a non-zero `salt` forces (and varies) the digest, for the rare collision.
 */
export function flattenToolName(server: string, tool: string, maxLength = 64, salt = 0): string {
  maxLength = Number.isFinite(maxLength) ? Math.max(24, Math.floor(maxLength)) : 64;
  if (salt === 0 && isPlain(server, tool, maxLength)) return `${server}${SEPARATOR}${tool}`;
  const safeServer = sanitize(server, 'server');
  const safeTool = sanitize(tool, 'tool');
  const budget = maxLength - SEPARATOR.length - 1 - HASH_LENGTH;
  const serverBudget = Math.min(
    safeServer.length,
    Math.max(Math.floor(budget / 3), budget - safeTool.length),
  );
  const toolPart = safeTool.slice(0, budget - serverBudget);
  return `${safeServer.slice(0, serverBudget)}${SEPARATOR}${toolPart}_${digest(server, tool, salt)}`;
}

/**
 * Hands out flattened names and resolves them back. Names are deterministic across runs;
 * should two pairs ever meet on one name (a digest collision: about one chance in 10^15 per
 * pair), the later pair gets a salted digest instead, so names stay unique.
 */
export class ToolNamer {
  readonly maxLength: number;
  readonly #byName = new Map<string, ResolvedToolName>();
  readonly #byPair = new Map<string, string>();

  constructor(options: ToolNamerOptions = {}) {
    const maxLength = options.maxLength ?? 64;
    if (!Number.isInteger(maxLength) || maxLength < 24 || maxLength > 1_024) {
      throw new McpConfigError(
        `ToolNamer options: maxLength must be a whole number from 24 to 1024`,
        {
          field: 'maxLength',
          expected: 'a whole number from 24 to 1024',
          received: options.maxLength,
        },
      );
    }
    this.maxLength = maxLength;
  }

  /** The flattened name for `tool` on `server`; the same pair always gets the same name. */
  nameFor(server: string, tool: string): string {
    const pairKey = `${server}\u0000${tool}`;
    const known = this.#byPair.get(pairKey);
    if (known !== undefined) return known;
    for (let salt = 0; ; salt += 1) {
      const name = flattenToolName(server, tool, this.maxLength, salt);
      const holder = this.#byName.get(name);
      if (holder === undefined || (holder.server === server && holder.tool === tool)) {
        this.#byName.set(name, { server, tool });
        this.#byPair.set(pairKey, name);
        return name;
      }
    }
  }

  /**
   * The (server, tool) behind a name this namer handed out. Names are deterministic, so after
   * a restart, naming the listed tools again makes earlier names resolve as before.
   */
  resolve(flatName: string): ResolvedToolName | undefined {
    const known = this.#byName.get(flatName);
    return known ? { ...known } : undefined;
  }

  /** Forgets the names of one server's tools (after it went away or its tool list changed). */
  forgetServer(server: string): void {
    for (const [name, pair] of this.#byName) {
      if (pair.server !== server) continue;
      this.#byName.delete(name);
      this.#byPair.delete(`${pair.server}\u0000${pair.tool}`);
    }
  }

  /** Names handed out and still remembered. */
  get size(): number {
    return this.#byName.size;
  }
}
