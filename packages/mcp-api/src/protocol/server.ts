// Who the server is and what it offers.
import type { McpMeta } from './json.js';

export interface Icon {
  src: string;
  mimeType?: string;
  sizes?: string[];
  theme?: 'light' | 'dark';
}

/** Name and version of an MCP implementation (client or server). */
export interface Implementation {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
}

/** What the server declared it can do. Unknown capabilities pass through. */
export interface ServerCapabilities {
  tools?: { listChanged?: boolean; [key: string]: unknown };
  resources?: { subscribe?: boolean; listChanged?: boolean; [key: string]: unknown };
  prompts?: { listChanged?: boolean; [key: string]: unknown };
  logging?: Record<string, unknown>;
  completions?: Record<string, unknown>;
  experimental?: Record<string, unknown>;
  _meta?: McpMeta;
  [capability: string]: unknown;
}

/** Syslog severities, as MCP's `logging/setLevel` names them. */
export type LoggingLevel =
  | 'debug'
  | 'info'
  | 'notice'
  | 'warning'
  | 'error'
  | 'critical'
  | 'alert'
  | 'emergency';

/**
 * The protocol era a session speaks: `legacy` is 2025-11-25 and earlier (initialize
 * handshake, sessions); `modern` is 2026-07-28 and later (stateless).
 */
export type McpProtocolEra = 'legacy' | 'modern';
