// A worker process for the shared-circuit test: an MCPClient whose MCPCircuitBreaker keeps its
// circuit in Redis (RedisCircuitStateStore). Reads one JSON command a line on stdin and
// answers each with one JSON line carrying the same id:
//   {"id":1,"op":"call","tool":"work"} -> {"id":1,"outcome":"ok" | "<error name>","retryAfterMs"?}
//   {"id":2,"op":"advance","ms":60000} -> {"id":2,"outcome":"ok"}
//   {"id":3,"op":"state"}              -> {"id":3,"outcome":"closed" | "open" | "half-open"}
// Prints "ready" once connected; exits on SIGTERM.
//   node --import tsx circuit-worker.ts <redis url> <server url> <name>
import { createInterface } from 'node:readline';
import { MCPCircuitBreaker, MCPClient } from '@tframex/mcp-core';
import { RedisCircuitStateStore } from '@tframex/mcp-redis';

const [redisUrl, serverUrl, name] = process.argv.slice(2);
// The circuit's clock: the system's plus what the test moved it on by ("advance"), so the
// recovery time passes when the test says so, the same in every worker, not after a real wait.
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
const store = new RedisCircuitStateStore({
  url: redisUrl!,
  now,
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
const breaker = new MCPCircuitBreaker({
  failureThreshold: 3,
  recoveryTimeoutMs: 60_000,
  probeLeaseMs: 60_000,
  store,
  storeKey: 'shop',
  holder: name!,
  now,
});
const client = new MCPClient({
  name: 'shop',
  serverUrl: serverUrl!,
  retryAttempts: 0,
  circuitBreaker: breaker,
});
await client.connect();

async function answer(command: { id: number; op: string; tool?: string; ms?: number }) {
  if (command.op === 'advance') {
    offsetMs += command.ms ?? 0;
    return { outcome: 'ok' };
  }
  if (command.op === 'state') return { outcome: breaker.state };
  try {
    await client.callTool(command.tool!, {});
    return { outcome: 'ok' };
  } catch (error) {
    const { name: errorName, retryAfterMs } = error as { name: string; retryAfterMs?: number };
    return { outcome: errorName, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { id: number; op: string };
  void answer(command).then((reply) =>
    process.stdout.write(`${JSON.stringify({ id: command.id, ...reply })}\n`),
  );
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void client
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
