// Processes of the shared rate-limit tests, run from sources through tsx: the counting server
// (rate-limit-server.ts) and the workers (rate-limit-worker.ts), each speaking lines on
// stdin/stdout; and the per-second counts of the arrivals the server recorded.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { RedisConnection } from '@tframex/mcp-redis';

const tsx = createRequire(import.meta.url).resolve('tsx');

interface LineChild {
  /** Resolves with the first line `matches` accepts (rejects if the process exits first). */
  line(matches: (line: string) => boolean): Promise<string>;
  send(line: string): void;
  /** Sends `line` (if still running) and resolves once the process exited. */
  end(line: string): Promise<void>;
  kill(): void;
}

function startChild(script: string, args: string[], name: string): LineChild {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@tframex/source',
      '--import',
      tsx,
      fileURLToPath(new URL(script, import.meta.url)),
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      lines.push(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
    for (const wake of waiting) wake();
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    line(matches) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(matches);
          if (found !== undefined) {
            waiting.delete(check);
            resolve(found);
          }
        };
        waiting.add(check);
        check();
        void exited.then(() => {
          check();
          if (waiting.delete(check)) reject(new Error(`${name} exited: ${stderr}`));
        });
      });
    },
    send: (line) => void child.stdin!.write(`${line}\n`),
    async end(line) {
      if (running()) child.stdin!.end(`${line}\n`);
      await exited;
    },
    kill() {
      if (running()) child.kill('SIGKILL');
    },
  };
}

const isJson = (line: string) => line.startsWith('{');

export interface CountingServer {
  url: string;
  /** Whether the server runs ahead of other processes (`raised`) or not. */
  priority: 'raised' | 'normal';
  /** Resolves once `calls` calls arrived in all. */
  reach(calls: number): Promise<void>;
  /** Marks this moment in the server's record; resolves with the calls arrived so far. */
  mark(label: string): Promise<number>;
  /** Stops the server: arrival times of `hit` (ms, the server's clock), senders and marks. */
  stop(): Promise<ServerRecord>;
  kill(): void;
}

export interface ServerRecord {
  arrivalsMs: number[];
  workers: string[];
  marks: { label: string; atMs: number; calls: number }[];
}

export async function startCountingServer(): Promise<CountingServer> {
  const child = startChild('./rate-limit-server.ts', [], 'the server');
  const [, url, priority] = (await child.line((line) => line.startsWith('url '))).split(' ');
  return {
    url: url!,
    priority: priority as 'raised' | 'normal',
    async reach(calls) {
      child.send(`reach ${calls}`);
      await child.line((line) => line === `reached ${calls}`);
    },
    async mark(label) {
      child.send(`mark ${label}`);
      const line = await child.line((candidate) => candidate.startsWith(`marked ${label} `));
      return Number(line.split(' ')[2]);
    },
    async stop() {
      await child.end('stop');
      return JSON.parse(await child.line(isJson)) as ServerRecord;
    },
    kill: () => child.kill(),
  };
}

export interface WorkerSummary {
  name: string;
  calls: number;
  errors: string[];
  errorCount: number;
  storeErrors: number;
  storeError?: string;
  /** Takes (and pauses) that went to the local fallback store, as the store reported them. */
  fallbackNotices: number;
}

export interface Worker {
  name: string;
  ready: Promise<void>;
  go(): void;
  /** Ends the callers and resolves with the worker's summary once it exited. */
  stop(): Promise<WorkerSummary>;
  kill(): void;
}

export function startWorker(options: {
  redisUrl: string;
  serverUrl: string;
  callers: number;
  name: string;
  /** Take from a local bucket while Redis cannot be reached. */
  fallback?: boolean;
}): Worker {
  const { redisUrl, serverUrl, callers, name } = options;
  const mode = options.fallback ? 'fallback' : 'shared-only';
  const child = startChild(
    './rate-limit-worker.ts',
    [redisUrl, serverUrl, String(callers), name, mode],
    name,
  );
  const ready = child.line((line) => line === 'ready').then(() => undefined);
  ready.catch(() => undefined);
  return {
    name,
    ready,
    go: () => child.send('go'),
    async stop() {
      await child.end('stop');
      return JSON.parse(await child.line(isJson)) as WorkerSummary;
    },
    kill: () => child.kill(),
  };
}

/**
 * Arrivals counted in whole seconds from the first one: `[0, 1000)`, `[1000, 2000)`, ...;
 * a second the last arrival has not closed yet is left out.
 */
export function countPerSecond(arrivalsMs: readonly number[]): number[] {
  if (arrivalsMs.length === 0) return [];
  const firstMs = Math.min(...arrivalsMs);
  const lastMs = Math.max(...arrivalsMs);
  const whole = Math.floor((lastMs - firstMs) / 1000);
  const counts = new Array<number>(whole).fill(0);
  for (const atMs of arrivalsMs) {
    const second = Math.floor((atMs - firstMs) / 1000);
    if (second < whole) counts[second]! += 1;
  }
  return counts;
}

/** A field of Redis `INFO` (`connected_clients`, `cmdstat_evalsha`), as text. */
export async function redisInfo(url: string, field: string): Promise<string | undefined> {
  const connection = new RedisConnection({ url, connectTimeoutMs: 1_000 }, () => undefined);
  try {
    const info = String(await (await connection.main()).sendCommand(['INFO', 'everything']));
    return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  } finally {
    await connection.close();
  }
}

/** EVALSHA commands Redis ran since it started (one per take). */
export async function evalshaCalls(url: string): Promise<number> {
  const stat = (await redisInfo(url, 'cmdstat_evalsha')) ?? 'calls=0';
  return Number(/calls=(\d+)/.exec(stat)?.[1] ?? 0);
}
