// Starts the official reference server `@modelcontextprotocol/server-everything` for tests:
// over stdio (as a child process the client spawns) or over HTTP on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

const require = createRequire(import.meta.url);
export const EVERYTHING_BIN = require.resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);
export const FILESYSTEM_BIN = require.resolve(
  '@modelcontextprotocol/server-filesystem/dist/index.js',
);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningEverything {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Runs server-everything over HTTP (`streamableHttp` or `sse`) and waits until it listens. */
export async function startEverythingHttp(
  mode: 'streamableHttp' | 'sse',
  port?: number,
): Promise<RunningEverything> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, [EVERYTHING_BIN, mode], {
    env: { ...process.env, PORT: String(chosen) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('server-everything did not start within 20 s')),
      20_000,
    );
    const onData = (chunk: Buffer) => {
      if (chunk.toString().includes(String(chosen))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything exited with ${code}`));
    });
  });
  const path = mode === 'sse' ? '/sse' : '/mcp';
  return {
    url: `http://127.0.0.1:${chosen}${path}`,
    port: chosen,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
