// A worker process of the shared rate-limit test: one MCPClient whose RateLimitHandler takes
// from a RedisRateLimitStore, and `callers` concurrent callers that call the tool `hit` for as
// long as they are told to. Lines on stdin: `go` starts the callers, `stop` ends them; then it
// prints one JSON summary line and exits. Prints `ready` once connected.
//   node --import tsx rate-limit-worker.ts <redis url> <server url> <callers> <name> [fallback]
import { createInterface } from 'node:readline';
import { McpError } from '@tframex/mcp-api';
import { MCPClient, MemoryRateLimitStore, RateLimitHandler } from '@tframex/mcp-core';
import { RedisRateLimitStore } from '@tframex/mcp-redis';

const [redisUrl, serverUrl, callersText, name, mode] = process.argv.slice(2);
const callers = Number(callersText);
const storeErrors: string[] = [];
let fallbackNotices = 0;
const store = new RedisRateLimitStore({
  url: redisUrl!,
  // With `fallback`: while Redis is away, takes go to a bucket of this process (local limits).
  fallback: mode === 'fallback' ? new MemoryRateLimitStore() : undefined,
  onError: (error) => {
    storeErrors.push(String(error));
    // The store's notice for a take or pause sent to the fallback (not a connection error).
    if (String(error).includes('went to the local fallback')) fallbackNotices += 1;
  },
  connectTimeoutMs: 1_000,
  commandTimeoutMs: 2_000,
});
const rateLimit = new RateLimitHandler({
  maxRequestsPerMinute: 6_000, // 100 calls a second, across every process on the key
  burstSize: 5,
  store,
  storeKey: 'mock-api',
  server: 'api',
});
const client = new MCPClient({ name: 'api', serverUrl: serverUrl!, rateLimit });
await client.connect();
// Before the clock starts: the tool catalog is known, and every caller has made a call, so the
// HTTP connections are open (the server counts only `hit`).
await client.listTools();
await Promise.all(Array.from({ length: callers }, () => client.callTool('warm-up', {})));
process.stdout.write('ready\n');

const done = { calls: 0, errors: [] as string[] };
let stopping = false;
let running: Promise<void>[] = [];

async function caller(): Promise<void> {
  while (!stopping) {
    try {
      await client.callTool('hit', { worker: name });
      done.calls += 1;
    } catch (error) {
      done.errors.push(
        McpError.isInstance(error) ? `${error.kind}: ${error.message}` : String(error),
      );
    }
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'go') running = Array.from({ length: callers }, () => caller());
  if (line === 'stop') break;
}
stopping = true;
await Promise.all(running);
await client.close();
await store.close();
const summary = {
  name,
  calls: done.calls,
  errors: done.errors.slice(0, 5),
  errorCount: done.errors.length,
};
process.stdout.write(
  `${JSON.stringify({ ...summary, storeErrors: storeErrors.length, storeError: storeErrors[0], fallbackNotices })}\n`,
);
process.exit(0);
