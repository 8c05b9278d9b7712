// REST paths: the resource's base path joined with the request's, and OpenAPI-style path
// templates (`/users/{id}`) matched against concrete paths.
import { McpConfigError } from '@tframex/mcp-api';
import type { DriverContext } from '../resource-driver.js';

/** The request path under the resource's base path, always starting with `/`. */
export function requestPath(context: DriverContext, path: string): string {
  if (typeof path !== 'string') {
    throw new McpConfigError('A REST path must be a string', {
      field: 'path',
      expected: 'a path such as /users/1',
      received: path,
    });
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) {
    throw new McpConfigError(`REST paths are relative to the API: ${JSON.stringify(path)}`, {
      field: 'path',
      expected: 'a path such as /users/1, not a URL',
      received: path,
    });
  }
  const [pathname = '', query] = path.split('?', 2);
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment.includes('\0'))) {
    throw new McpConfigError(`REST path ${JSON.stringify(path)} climbs out with ".."`, {
      field: 'path',
      expected: 'a path without "." or ".." segments',
      received: path,
    });
  }
  const base = context.prefix.split('/').filter((segment) => segment !== '');
  const joined = `/${[...base, ...segments].join('/')}`;
  return query === undefined ? joined : `${joined}?${query}`;
}

/** Variables of `template` (`/users/{id}`) when it matches `path`, else undefined. */
export function matchPathTemplate(
  template: string,
  path: string,
): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const variable = /^\{([^}]+)\}$/.exec(part);
      if (!variable) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(variable[1]!);
      return '([^/]+)';
    })
    .join('');
  const match = new RegExp(`^${pattern}/?$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(
    names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]),
  );
}
