// Relative paths inside a resource: joined with `/`, never climbing out with `..`.
import { McpConfigError } from '@tframex/mcp-api';

/** Splits a relative path into segments, refusing `..` and NUL; `.` and empty segments drop out. */
export function pathSegments(path: string, field = 'path'): string[] {
  if (typeof path !== 'string') {
    throw new McpConfigError(`${field} must be a string`, {
      field,
      expected: 'a path string',
      received: path,
    });
  }
  if (path.includes('\0')) {
    throw new McpConfigError(`${field} holds a NUL character`, {
      field,
      expected: 'a path without NUL characters',
      received: path,
    });
  }
  const segments = path.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    throw new McpConfigError(`${field} ${JSON.stringify(path)} climbs out with ".."`, {
      field,
      expected: 'a path inside the resource (no ".." segments)',
      received: path,
    });
  }
  return segments;
}

/** `base` and `path` joined with single slashes; keeps a leading `/` of `base`. */
export function joinPath(base: string, path: string, field = 'path'): string {
  const tail = pathSegments(path, field);
  const head = base.replace(/\/+$/, '');
  if (tail.length === 0) return head;
  return head === '' ? tail.join('/') : `${head}/${tail.join('/')}`;
}
