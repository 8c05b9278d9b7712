// The server of the shared rate-limit tests, in a process of its own so that nothing else
// (the test runner, the workers) shares its event loop: a MockMCPServer over HTTP on
// 127.0.0.1 whose tool `hit` records when each call arrives (`warm-up` records nothing).
// Prints `url <url>`, then `enough` once <measured calls> arrived; on `stop` (stdin) it prints
// one JSON line { arrivalsMs, workers } and exits.
//   node --import tsx rate-limit-server.ts <measured calls>
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { MockMCPServer } from '@tframex/mcp-testing';

const measuredCalls = Number(process.argv[2]);
// The instrument must not fall behind on a busy machine: a server starved of CPU reads the
// requests late and in bunches, and would count them in the wrong second. Ahead of other work
// where the system allows it (root or CAP_SYS_NICE); else at normal priority.
let priority = 'normal';
try {
  setPriority(-10);
  priority = 'raised';
} catch {
  // not permitted here
}
const arrivalsMs: number[] = [];
const workers: string[] = [];
const server = new MockMCPServer({ name: 'api' });
server.addTool('hit', ({ worker }) => {
  arrivalsMs.push(performance.now());
  workers.push(String(worker));
  if (arrivalsMs.length === measuredCalls) process.stdout.write('enough\n');
  return 'ok';
});
server.addTool('warm-up', () => 'ok');
process.stdout.write(`url ${await server.start()} ${priority}\n`);
for await (const line of createInterface({ input: process.stdin })) if (line === 'stop') break;
await server.stop();
process.stdout.write(`${JSON.stringify({ arrivalsMs, workers })}\n`);
process.exit(0);
