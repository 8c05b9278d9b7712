// composeAuthPlugins: several schemes on one connection, e.g. a client certificate (mTLS)
// plus OAuth tokens. Every plugin contributes; two plugins claiming the same header or the
// same TLS field is a configuration mistake and is reported, never silently resolved.
import type { McpAuthPlugin, McpTlsMaterial } from '@tframex/mcp-auth-api';
import { McpConfigError } from '@tframex/mcp-api';
import { redactObject } from '../internal/secret-holder.js';

function checkPlugin(plugin: unknown, index: number): McpAuthPlugin {
  if (
    typeof plugin !== 'object' ||
    plugin === null ||
    typeof (plugin as McpAuthPlugin).name !== 'string'
  ) {
    throw new McpConfigError(`composeAuthPlugins: argument ${index + 1} is not an auth plugin`, {
      field: `plugins.${index}`,
      expected: 'an McpAuthPlugin (an object with a name)',
    });
  }
  return plugin as McpAuthPlugin;
}

/** One plugin that applies every given plugin, in order. */
export function composeAuthPlugins(...plugins: McpAuthPlugin[]): McpAuthPlugin {
  if (plugins.length === 0) {
    throw new McpConfigError('composeAuthPlugins needs at least one plugin', {
      field: 'plugins',
      expected: 'one or more McpAuthPlugin',
    });
  }
  const members = plugins.map(checkPlugin);
  const name = members.map((plugin) => plugin.name).join('+');
  const composed: McpAuthPlugin = { name };

  if (members.some((plugin) => plugin.headers)) {
    composed.headers = async (request) => {
      const merged: Record<string, string> = {};
      const owners = new Map<string, string>();
      for (const plugin of members) {
        const headers = await plugin.headers?.(request);
        for (const [key, value] of Object.entries(headers ?? {})) {
          const owner = owners.get(key.toLowerCase());
          if (owner !== undefined) {
            throw new McpConfigError(
              `composeAuthPlugins: "${owner}" and "${plugin.name}" both set header ${key}`,
              { field: 'plugins', expected: 'plugins that set different headers' },
            );
          }
          owners.set(key.toLowerCase(), plugin.name);
          merged[key] = value;
        }
      }
      return merged;
    };
  }

  if (members.some((plugin) => plugin.onUnauthorized)) {
    composed.onUnauthorized = async (challenge) => {
      // Each plugin gets to renew what it owns; one renewal is reason enough to retry.
      let decision: 'retry' | 'fail' = 'fail';
      for (const plugin of members) {
        if ((await plugin.onUnauthorized?.(challenge)) === 'retry') decision = 'retry';
      }
      return decision;
    };
  }

  if (members.some((plugin) => plugin.tls)) {
    composed.tls = async () => {
      let merged: McpTlsMaterial | undefined;
      const owners = new Map<string, string>();
      for (const plugin of members) {
        const material = await plugin.tls?.();
        if (!material) continue;
        merged ??= {};
        for (const [key, value] of Object.entries(material)) {
          if (value === undefined) continue;
          const owner = owners.get(key);
          if (owner !== undefined) {
            throw new McpConfigError(
              `composeAuthPlugins: "${owner}" and "${plugin.name}" both provide TLS ${key}`,
              { field: 'plugins', expected: 'at most one plugin providing each TLS setting' },
            );
          }
          owners.set(key, plugin.name);
          (merged as Record<string, unknown>)[key] = value;
        }
      }
      return merged;
    };
  }

  const withProvider = members.find((plugin) => plugin.oauthProvider);
  if (withProvider) composed.oauthProvider = () => withProvider.oauthProvider?.();

  if (members.some((plugin) => plugin.signOut)) {
    composed.signOut = async () => {
      // Every plugin signs out even when one fails; the first failure is reported.
      const results = await Promise.allSettled(members.map((plugin) => plugin.signOut?.()));
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    };
  }

  return Object.freeze(
    redactObject(composed, () => ({ name, plugins: members.map((p) => p.name) }), 'AuthPlugin'),
  );
}
