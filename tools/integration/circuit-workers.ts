// Starts and stops circuit-worker.ts children and talks to them: one command, one reply.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface WorkerReply {
  id: number;
  outcome: string;
  retryAfterMs?: number;
}

export interface CircuitWorker {
  readonly name: string;
  readonly ready: Promise<void>;
  /** Calls a tool through the worker's MCPClient: `ok` or the error's name. */
  call(tool: string): Promise<WorkerReply>;
  /** Moves the worker's circuit clock on. */
  advance(ms: number): Promise<void>;
  /** The worker's `breaker.state`. */
  state(): Promise<string>;
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('./circuit-worker.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

export function startCircuitWorker(
  redisUrl: string,
  serverUrl: string,
  name: string,
): CircuitWorker {
  const child = spawn(
    process.execPath,
    ['--conditions=@tframex/source', '--import', tsx, script, redisUrl, serverUrl, name],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<
    number,
    { resolve: (reply: WorkerReply) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line === 'ready') resolve();
        else if (line.startsWith('{')) {
          const reply = JSON.parse(line) as WorkerReply;
          pending.get(reply.id)?.resolve(reply);
          pending.delete(reply.id);
        }
      }
    });
    void exited.then(() => {
      const error = new Error(`worker ${name} exited: ${stderr}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    });
  });
  ready.catch(() => undefined);
  const send = (command: Record<string, unknown>) =>
    new Promise<WorkerReply>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.stdin!.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  return {
    name,
    ready,
    call: (tool) => send({ op: 'call', tool }),
    advance: async (ms) => void (await send({ op: 'advance', ms })),
    state: async () => (await send({ op: 'state' })).outcome,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
