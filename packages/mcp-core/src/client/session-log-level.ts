// The log level a user set with `setLoggingLevel`, kept for the whole client: every pooled
// session gets it, and so does each session opened later (a new session knows nothing of
// what the client asked of the old one).
import type { LoggingLevel } from '@tframex/mcp-api';
import type { SdkConnection } from '../adapter/sdk-adapter.js';
import type { ConnectionPool } from './connection-pool.js';

export class SessionLogLevel {
  #level: LoggingLevel | undefined;
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Remembers `level`, set already on `used`, and sets it on the pool's other sessions. */
  async spread(level: LoggingLevel, used: SdkConnection | undefined, pool: ConnectionPool) {
    this.#level = level;
    await Promise.all(
      pool.slots.map((slot) =>
        slot.current && slot.current !== used
          ? slot.current
              .setLoggingLevel(level, { timeoutMs: this.#timeoutMs })
              .catch(() => undefined)
          : undefined,
      ),
    );
  }

  /** Sets the remembered level on a session that just opened, if one was set. */
  async apply(connection: SdkConnection): Promise<void> {
    if (this.#level !== undefined)
      await connection.setLoggingLevel(this.#level, { timeoutMs: this.#timeoutMs });
  }
}
