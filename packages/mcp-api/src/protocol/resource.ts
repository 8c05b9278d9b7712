// Resources, resource templates and what reading one returns.
import type { ContentAnnotations, ResourceContents } from './content.js';
import type { McpMeta } from './json.js';
import type { Icon } from './server.js';

export interface Resource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  size?: number;
  annotations?: ContentAnnotations;
  icons?: Icon[];
  _meta?: McpMeta;
}

/** A family of resources addressed by an RFC 6570 URI template. */
export interface ResourceTemplate {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: ContentAnnotations;
  icons?: Icon[];
  _meta?: McpMeta;
}

export interface ReadResourceResult {
  contents: ResourceContents[];
  _meta?: McpMeta;
  [key: string]: unknown;
}
