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

export interface PrometheusScrapeTarget {
  /** `job` label of the target. */
  job: string;
  /** `host:port` to scrape. */
  address: string;
  /** Default `/metrics`. */
  path?: string;
}

export interface StartPrometheusOptions {
  targets: PrometheusScrapeTarget[];
  /** Scrape and rule evaluation interval, in ms (whole seconds; default 1 000). */
  scrapeIntervalMs?: number;
  port?: number;
  readyTimeoutMs?: number;
}

/** One series of an instant query: its labels and `[unixSeconds, "value"]`. */
export interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RunningPrometheus extends Omit<RunningService, 'restart'> {
  readonly configFile: string;
  /** An instant query through the HTTP API (`/api/v1/query`). */
  query(promql: string): Promise<PrometheusSample[]>;
  /** `/api/v1/targets` active targets (`health`, `lastError`, `labels`, ...). */
  targets(): Promise<Array<{ health: string; lastError: string; labels: Record<string, string> }>>;
}

/**
 * Starts `prometheus` (Debian's 2.42) on 127.0.0.1 with a throwaway config and TSDB. The first
 * scrape results appear about 8–10 s after start (target discovery is throttled): poll.
 */
export function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus>;

/** Runs `promtool` (from the `prometheus` package) with `input` on stdin. */
export function promtool(
  args: string[],
  input?: string,
): Promise<{ code: number | null; output: string }>;

/** Flags headless Chromium needs here (`--headless --no-sandbox --disable-gpu ...`). */
export const CHROMIUM_ARGS: readonly string[];

/** Path of Debian's `chromium` (for playwright-core's `executablePath`). */
export function chromiumPath(): string;
