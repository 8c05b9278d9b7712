// A server process for a test, ready once a line of its output matches: never a timer.
import { spawn, type ChildProcess } from 'node:child_process';
import type { StdioCommand } from '@tframex/mcp-testing';

export interface SpawnedServer {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export function spawnUntil(command: StdioCommand, ready: RegExp): Promise<SpawnedServer> {
  const child = spawn(command.command, command.args ?? [], {
    env: command.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A test that times out before stop() must not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (ready.test(output)) resolve({ child, stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${command.command} exited (${code}):\n${output}`)),
    );
  });
}
