// A copy of a config that is safe to log: every secret replaced by a marker.
import { isSecretField } from './config-problem.js';
import type { MCPConfig, MCPConfigOptions } from './mcp-config.js';

const REDACTED = '[redacted]';

function redactRecord(parent: string, record: Record<string, string> | undefined) {
  if (!record) return undefined;
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      isSecretField(`${parent}.${key}`) ? REDACTED : value,
    ]),
  );
}

const SECRET_FLAG = /^--?[\w.-]*(token|secret|key|passw|auth|credential)[\w.-]*$/i;
const SECRET_ASSIGNMENT = /^(--?[\w.-]*(?:token|secret|key|passw|auth|credential)[\w.-]*=)/i;
const maskUserinfo = (text: string) => text.replace(/\/\/[^/@\s]*@/g, '//***@');

/** Arguments with the values of secret-looking flags and URL credentials masked. */
export function redactArgs(args: readonly string[]): string[] {
  return args.map((arg, index) => {
    if (index > 0 && SECRET_FLAG.test(args[index - 1] ?? '')) return REDACTED;
    const assignment = SECRET_ASSIGNMENT.exec(arg);
    return assignment ? `${assignment[1]}${REDACTED}` : maskUserinfo(arg);
  });
}

/**
 * The config with credentials (apiKey, token, password, client secret, refresh token,
 * client key, signing and encryption keys, secret-looking headers and env entries, values
 * of secret-looking command-line flags, URL credentials)
 * replaced by `[redacted]`; the auth plugin and transport show by name only.
 */
export function redactMCPConfig<C extends MCPConfig | MCPConfigOptions>(
  config: C,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (key === 'headers' || key === 'env')
      out[key] = redactRecord(key, value as Record<string, string>);
    else if (key === 'args') out[key] = redactArgs(value as string[]);
    else if (key === 'auth') out[key] = `[plugin ${(value as { name: string }).name}]`;
    else if (key === 'transport') out[key] = '[transport]';
    else if (key === 'serverUrl')
      out[key] = String(value)
        .replace(/\/\/[^/@?#]*@/, '//***@')
        .replace(/\?.*$/, '?[redacted]');
    else if (key === 'security') {
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        out[key] = (value as { toJSON(): unknown }).toJSON();
        continue;
      }
      const { signingKey, encryptionKey, ...rest } = value as Record<string, unknown>;
      out[key] = {
        ...rest,
        ...(signingKey !== undefined ? { signingKey: REDACTED } : {}),
        ...(encryptionKey !== undefined ? { encryptionKey: REDACTED } : {}),
      };
    } else out[key] = isSecretField(key) ? REDACTED : value;
  }
  return out;
}
