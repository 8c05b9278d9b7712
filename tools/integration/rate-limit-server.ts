// The server of the shared rate-limit tests, in a process of its own so that nothing else
// (the test runner, the workers) shares its event loop: a MockMCPServer over HTTP on
// 127.0.0.1 whose tool `hit` records when each call arrives (`warm-up` records nothing).
// Prints `url <url> <priority>`. Lines on stdin:
//   reach <n>     prints `reached <n>` once n calls arrived
//   mark <label>  prints `marked <label> <calls so far>` (and keeps the mark's time)
//   stop          prints one JSON line { arrivalsMs, workers, marks } and exits
//   node --import tsx rate-limit-server.ts
import { setPriority } from 'node:os';
import { createInterface } from 'node:readline';
import { MockMCPServer } from '@tframex/mcp-testing';

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
const marks: { label: string; atMs: number; calls: number }[] = [];
const reaching = new Map<number, () => void>();
const server = new MockMCPServer({ name: 'api' });
server.addTool('hit', ({ worker }) => {
  arrivalsMs.push(performance.now());
  workers.push(String(worker));
  reaching.get(arrivalsMs.length)?.();
  return 'ok';
});
server.addTool('warm-up', () => 'ok');
process.stdout.write(`url ${await server.start()} ${priority}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument = ''] = line.split(' ');
  if (command === 'stop') break;
  if (command === 'mark') {
    marks.push({ label: argument, atMs: performance.now(), calls: arrivalsMs.length });
    process.stdout.write(`marked ${argument} ${arrivalsMs.length}\n`);
  }
  if (command === 'reach') {
    const calls = Number(argument);
    const reached = () => process.stdout.write(`reached ${calls}\n`);
    if (arrivalsMs.length >= calls) reached();
    else reaching.set(calls, reached);
  }
}
await server.stop();
process.stdout.write(`${JSON.stringify({ arrivalsMs, workers, marks })}\n`);
process.exit(0);
