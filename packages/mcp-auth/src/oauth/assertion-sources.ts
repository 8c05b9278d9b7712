// Where a workload finds its platform-issued identity token (Kubernetes projected service
// account tokens, GitHub Actions and cloud workload identity): a file the platform rewrites,
// or an environment variable. Both are read again for every token request, so a rotated
// token is picked up without a restart.
import { readFile } from 'node:fs/promises';
import { McpAuthError, McpConfigError } from '@tframex/mcp-api';
import type { AssertionSource } from './oauth2-extension-options.js';

/** Reads the assertion from `path` (surrounding whitespace trimmed) for every token request. */
export function assertionFromFile(path: string): AssertionSource {
  if (typeof path !== 'string' || path === '') {
    throw new McpConfigError('assertionFromFile: path must be a non-empty string', {
      field: 'path',
      expected: 'the path of the token file',
    });
  }
  return async () => {
    try {
      return (await readFile(path, 'utf8')).trim();
    } catch (cause) {
      throw new McpAuthError(`reading the workload identity token from ${path} failed`, {
        reason: 'invalid_grant',
        cause,
      });
    }
  };
}

/** Reads the assertion from the environment variable `name` for every token request. */
export function assertionFromEnv(
  name: string,
  env: Record<string, string | undefined> = process.env,
): AssertionSource {
  if (typeof name !== 'string' || name === '') {
    throw new McpConfigError('assertionFromEnv: name must be a non-empty string', {
      field: 'name',
      expected: 'the name of an environment variable',
    });
  }
  return () => {
    const value = env[name]?.trim();
    if (!value) {
      throw new McpAuthError(`the environment variable ${name} holds no workload identity token`, {
        reason: 'invalid_grant',
      });
    }
    return value;
  };
}
