// Starts token-holder.ts processes and talks to them: one command out, one JSON answer back.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./token-holder.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

export interface TokenHolder {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  /** Sends a command line and resolves with the holder's JSON answer to it. */
  send(command: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
  /** SIGKILL: no cleanup, no lock released. */
  kill(): Promise<void>;
}

export function startTokenHolder(options: {
  redisUrl: string;
  mcpUrl: string;
  keyPrefix: string;
  clientSecret: string;
  encryptionKey?: Buffer;
  lockTtlMs?: number;
  /** Uses the refresh token grant with this token (rotated by the server at each use). */
  refreshToken?: string;
  /** Its token requests never finish: it stops mid-renewal, holding the lock. */
  stall?: boolean;
}): TokenHolder {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@tframex/source',
      '--import',
      tsx,
      script,
      options.redisUrl,
      options.mcpUrl,
      options.keyPrefix,
    ],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TOKEN_HOLDER_CLIENT_SECRET: options.clientSecret,
        ...(options.encryptionKey
          ? { TOKEN_HOLDER_ENCRYPTION_KEY: options.encryptionKey.toString('base64') }
          : {}),
        ...(options.lockTtlMs ? { TOKEN_HOLDER_LOCK_TTL_MS: String(options.lockTtlMs) } : {}),
        ...(options.stall ? { TOKEN_HOLDER_STALL: '1' } : {}),
        ...(options.refreshToken ? { TOKEN_HOLDER_REFRESH_TOKEN: options.refreshToken } : {}),
      },
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Answers come back in the order commands went out (one at a time per holder).
  const waiting: ((answer: Record<string, unknown>) => void)[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line === 'ready') resolve();
        else if (line.startsWith('{'))
          waiting.shift()?.(JSON.parse(line) as Record<string, unknown>);
      }
    });
    void exited.then(() => reject(new Error(`token holder exited: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    send(command) {
      const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
        waiting.push(resolve);
        void exited.then(() => reject(new Error(`token holder exited: ${stderr}`)));
      });
      child.stdin!.write(`${command}\n`);
      return answer;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      await exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
