// redis-server for tests: no persistence, loopback only, a free port.
import { freePort, requireBinary, startProcess, stopProcess } from './process.mjs';

export async function startRedis(options = {}) {
  const binary = requireBinary('redis-server', 'redis-server');
  const port = options.port ?? (await freePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    ...(options.args ?? []),
  ];
  const launch = () =>
    startProcess({
      command: binary,
      args,
      ready: /Ready to accept connections/,
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      name: `redis-server on port ${port}`,
    });
  let child = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    get pid() {
      return child.pid;
    },
    stop: () => stopProcess(child, 'SIGTERM'),
    kill: () => stopProcess(child, 'SIGKILL'),
    async restart() {
      await stopProcess(child, 'SIGTERM');
      child = await launch();
    },
  };
}
