// PostgreSQL for tests: a private cluster (Debian's postgresql, 15.x) on 127.0.0.1 and a free
// port, trust authentication, no persistence beyond the test. initdb runs once per machine
// into a template that each start copies (initdb takes seconds, a copy a fraction of one).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireBinary, startProcess, stopProcess } from './process.mjs';

const VERSIONS = ['17', '16', '15'];

function binDir() {
  for (const version of VERSIONS) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, 'postgres'))) return { dir, version };
  }
  requireBinary('/usr/lib/postgresql/15/bin/postgres', 'postgresql');
  throw new Error('unreachable');
}

/** Root cannot run postgres: run it as the `postgres` user when we are root. */
function account() {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function chownTree(path, user) {
  if (!user) return;
  spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, path], { stdio: 'ignore' });
}

function ensureTemplate(bin, version, user) {
  const base = join(tmpdir(), 'tframex-test-services');
  const template = join(base, `postgres-${version}-template`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  mkdirSync(base, { recursive: true, mode: 0o755 });
  const building = mkdtempSync(join(base, `postgres-${version}-building-`));
  chownTree(building, user);
  const result = spawnSync(
    join(bin, 'initdb'),
    [
      '-D',
      building,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ],
    { encoding: 'utf8', ...(user ? { uid: user.uid, gid: user.gid } : {}) },
  );
  if (result.status !== 0) {
    rmSync(building, { recursive: true, force: true });
    throw new Error(`initdb failed (${result.status}):\n${result.stderr || result.stdout}`);
  }
  try {
    renameSync(building, template); // atomic: a concurrent builder's copy simply loses
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

export async function startPostgres(options = {}) {
  const { dir: bin, version } = binDir();
  const user = account();
  const template = ensureTemplate(bin, version, user);
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(join(tmpdir(), 'tframex-postgres-'));
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(template, dataDir, { recursive: true });
  // PostgreSQL refuses a data directory others can read; not every Node's cpSync keeps the
  // template's 0700 on the directory it creates.
  chmodSync(dataDir, 0o700);
  chownTree(dataDir, user);
  if (user) chownSync(dataDir, user.uid, user.gid);
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    dataDir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'synchronous_commit=off',
    ...(options.args ?? []),
  ];
  const launch = () =>
    startProcess({
      command: join(bin, 'postgres'),
      args,
      ready: /database system is ready to accept connections/,
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      name: `postgres on port ${port}`,
      spawnOptions: user ? { uid: user.uid, gid: user.gid } : {},
    });
  let child = await launch();
  const database = options.database ?? 'postgres';
  if (database !== 'postgres') {
    const created = spawnSync(
      join(bin, 'createdb'),
      ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database],
      { encoding: 'utf8' },
    );
    if (created.status !== 0) throw new Error(`createdb ${database} failed: ${created.stderr}`);
  }
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/${database}`,
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database,
    dataDir,
    get pid() {
      return child.pid;
    },
    // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, no waiting on them.
    async stop() {
      await stopProcess(child, 'SIGINT');
      remove();
    },
    async kill() {
      await stopProcess(child, 'SIGKILL');
    },
    async restart() {
      await stopProcess(child, 'SIGINT');
      child = await launch();
    },
  };
}
