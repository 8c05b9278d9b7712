// The redis-server of the demo's shared-state steps: started by the first step that needs it,
// shared by the others (each uses keys of its own), stopped with everything else at the end.
// Without redis-server on the machine each step says so in the same line and is skipped.
import { requireBinary, startRedis } from '@tframex/test-services';

const INSTALL = 'apt-get install redis-server (Debian/Ubuntu), brew install redis (macOS)';
const started = new WeakMap();

/** The demo's redis-server (`{ url }`), or undefined after printing why the step is skipped. */
export async function demoRedis(demo) {
  try {
    requireBinary('redis-server', 'redis-server');
  } catch {
    const { print, ui } = demo;
    print(`  ${ui.pad('skipped', ui.W)}${ui.yellow('redis-server is not installed')}: ${INSTALL}`);
    return undefined;
  }
  let redis = started.get(demo);
  if (!redis) {
    redis = startRedis();
    started.set(demo, redis);
    const running = await redis;
    demo.onStop('process', () => running.stop());
  }
  return redis;
}
