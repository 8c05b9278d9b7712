// json-server (npm) as the REST backend of the tests: a JSON file served on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../tools/test-services/index.mjs';

export interface RunningJsonServer {
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** Serves `data` with json-server and resolves once it prints its resource list. */
export async function startJsonServer(data: object): Promise<RunningJsonServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-resources-rest-'));
  writeFileSync(join(dir, 'db.json'), JSON.stringify(data));
  const port = await freePort();
  const bin = require.resolve('json-server/lib/cli/bin.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, '--host', '127.0.0.1', '--port', String(port), join(dir, 'db.json')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // A test that times out before stop() must not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Resources/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`json-server exited (${code}):\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
