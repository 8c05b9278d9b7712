// Content blocks: what tools return and prompts contain.
import type { McpMeta } from './json.js';

/** Audience and priority hints a server may attach to content. */
export interface ContentAnnotations {
  audience?: ('user' | 'assistant')[];
  priority?: number;
  lastModified?: string;
}

export interface TextContent {
  type: 'text';
  text: string;
  annotations?: ContentAnnotations;
  _meta?: McpMeta;
}

export interface ImageContent {
  type: 'image';
  /** Base64-encoded image bytes. */
  data: string;
  mimeType: string;
  annotations?: ContentAnnotations;
  _meta?: McpMeta;
}

export interface AudioContent {
  type: 'audio';
  /** Base64-encoded audio bytes. */
  data: string;
  mimeType: string;
  annotations?: ContentAnnotations;
  _meta?: McpMeta;
}

/** A pointer to a resource the client may read later. */
export interface ResourceLink {
  type: 'resource_link';
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: ContentAnnotations;
  _meta?: McpMeta;
}

export interface TextResourceContents {
  uri: string;
  mimeType?: string;
  text: string;
  _meta?: McpMeta;
}

export interface BlobResourceContents {
  uri: string;
  mimeType?: string;
  /** Base64-encoded bytes. */
  blob: string;
  _meta?: McpMeta;
}

export type ResourceContents = TextResourceContents | BlobResourceContents;

/** A resource's contents, inlined into a tool result or a prompt. */
export interface EmbeddedResource {
  type: 'resource';
  resource: ResourceContents;
  annotations?: ContentAnnotations;
  _meta?: McpMeta;
}

export type ContentBlock =
  | TextContent
  | ImageContent
  | AudioContent
  | ResourceLink
  | EmbeddedResource;
