// One entry of a listing: a file, a directory, an object or a plain MCP resource.

export type ResourceEntryKind = 'file' | 'directory' | 'resource' | 'key';

export interface ResourceEntry {
  /** Path relative to the resource's base (`documents/report.pdf`); directories end without `/`. */
  readonly path: string;
  /** Last path segment. */
  readonly name: string;
  readonly kind: ResourceEntryKind;
  /** The MCP resource URI, where the server gave one. */
  readonly uri?: string;
  readonly mimeType?: string;
  /** Size in bytes, where the server told it. */
  readonly size?: number;
}
