// Starts and stops consumer-process.ts children, collecting what each prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface Delivery {
  consumer: string;
  n: number;
  redelivered: boolean;
}

export interface ConsumerProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
}

const script = fileURLToPath(new URL('./consumer-process.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

export function startConsumerProcess(
  args: {
    url: string;
    topic: string;
    group: string;
    consumer: string;
    delayMs?: number;
    claimIdleMs?: number;
  },
  deliveries: Delivery[],
): ConsumerProcess {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@tframex/source',
      '--import',
      tsx,
      script,
      args.url,
      args.topic,
      args.group,
      args.consumer,
      String(args.delayMs ?? 0),
      String(args.claimIdleMs ?? 30_000),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line === 'ready') resolve();
        else if (line.startsWith('{')) deliveries.push(JSON.parse(line) as Delivery);
      }
    });
    void exited.then(() => reject(new Error(`consumer ${args.consumer} exited: ${stderr}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, exited };
}

export async function stopConsumerProcess(
  process: ConsumerProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill(signal);
  await process.exited;
}
