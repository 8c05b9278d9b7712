// Installs redacting views (see withRedactedView) on config-shaped objects: MCPConfig and
// MCPConfigOptions, and the records inside them that may hold secrets (headers, env, args,
// security options), so printing any of them at any depth shows no credential.
import { withRedactedView } from '../security/redacted-view.js';
import { isSecretField } from './config-problem.js';
import { isPlainObject } from './option-schemas.js';
import { redactArgs, redactMCPConfig } from './redact-mcp-config.js';

const REDACTED = '[redacted]';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A record of strings (headers, env) with secret-looking entries as `[redacted]`. */
export function printableRecord(
  parent: string,
  record: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      isSecretField(`${parent}.${key}`) ? REDACTED : value,
    ]),
  );
}

/** A record of strings (headers, env) that prints secret-looking entries as `[redacted]`. */
export function redactedRecordView<T extends Record<string, string>>(parent: string, record: T): T {
  return withRedactedView(record, () => printableRecord(parent, record));
}

/** Command-line arguments that print the values of secret-looking flags as `[redacted]`. */
export function redactedArgsView<T extends string[]>(args: T): T {
  return withRedactedView(args, () => redactArgs(args));
}

/** Plain security options that print their keys as `[redacted]` (an MCPSecurity prints itself). */
function redactedSecurityView(security: Record<string, unknown>): void {
  withRedactedView(security, () => {
    const { signingKey, encryptionKey, ...rest } = security;
    return {
      ...rest,
      ...(signingKey !== undefined ? { signingKey: REDACTED } : {}),
      ...(encryptionKey !== undefined ? { encryptionKey: REDACTED } : {}),
    };
  });
}

/** Installs the views on a config or options object and its nested records; returns it. */
export function withRedactedConfigViews<C extends object>(config: C): C {
  const fields = config as unknown as Record<string, unknown>;
  if (isRecord(fields['headers']))
    redactedRecordView('headers', fields['headers'] as Record<string, string>);
  if (isRecord(fields['env'])) redactedRecordView('env', fields['env'] as Record<string, string>);
  if (Array.isArray(fields['args'])) redactedArgsView(fields['args'] as string[]);
  const security = fields['security'];
  if (isPlainObject(security)) redactedSecurityView(security);
  return withRedactedView(config, () => redactMCPConfig(config as never));
}

/**
 * A copy of config-shaped options (nested headers, env, args and plain security options
 * copied too, so the caller's objects stay untouched) with the printing views installed.
 */
export function redactedConfigCopy<C extends object>(config: C): C {
  const copy = { ...config } as Record<string, unknown>;
  for (const key of ['headers', 'env', 'security'])
    if (isPlainObject(copy[key])) copy[key] = { ...(copy[key] as Record<string, unknown>) };
  if (Array.isArray(copy['args'])) copy['args'] = [...(copy['args'] as unknown[])];
  return withRedactedConfigViews(copy as unknown as C);
}
