// Real services for tests, started on 127.0.0.1 on a free port and stopped by whoever started
// them. The binaries come from Debian packages that `npm test` installs.

export interface RunningService {
  /** Connection URL (`redis://127.0.0.1:6390`, `postgresql://...`). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Process id of the server. */
  readonly pid: number;
  /** Stops the server gracefully and waits for its exit. Idempotent. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would, and waits for its exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `stop` or `kill`) and waits until it is ready. */
  restart(): Promise<void>;
}

export interface StartRedisOptions {
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Extra `redis-server` arguments (`['--maxmemory', '10mb']`). */
  args?: string[];
  /** How long to wait for readiness before failing, in ms (default 30 000). */
  readyTimeoutMs?: number;
}

/** Starts `redis-server` (Debian's, 7.x) with no persistence, on 127.0.0.1. */
export function startRedis(options?: StartRedisOptions): Promise<RunningService>;

export interface StartPostgresOptions {
  /** Port to listen on (default: a free one). */
  port?: number;
  /** A database to create besides `postgres` (the URL names it). */
  database?: string;
  /** Extra `postgres` arguments (`['-c', 'max_connections=20']`). */
  args?: string[];
  /** How long to wait for readiness before failing, in ms (default 60 000). */
  readyTimeoutMs?: number;
}

export interface RunningPostgres extends RunningService {
  /** `postgres` (trust authentication on 127.0.0.1, no password). */
  readonly user: string;
  readonly database: string;
  /** The cluster's data directory (removed by `stop`). */
  readonly dataDir: string;
}

/**
 * Starts a private PostgreSQL cluster (Debian's `postgresql`) on 127.0.0.1, as the `postgres`
 * user when run as root. `stop()` shuts it down and removes its data directory.
 */
export function startPostgres(options?: StartPostgresOptions): Promise<RunningPostgres>;

/** A TCP port nobody listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number>;

/** Throws an Error saying which Debian package to install when `binary` is missing. */
export function requireBinary(binary: string, debianPackage: string): string;
