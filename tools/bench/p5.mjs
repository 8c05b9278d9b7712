import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Readable } from 'node:stream';
import { startServerChild } from './lib/children.mjs';
import { openClient, MODERN } from './lib/clients.mjs';
import { runLoad, median } from './lib/measure.mjs';
const undici = await import('/work/main/packages/mcp-core/node_modules/undici/index.js');
const agent = new undici.Agent({ keepAliveTimeout: 30000 });
process.removeAllListeners('warning');
let warns = 0;
process.on('warning', (w) => {
  if (w.name === 'MaxListenersExceededWarning') warns++;
});
const conc = Number(process.argv[2] ?? 16);
// Per-request signal: one listener on the caller's signal for the request's lifetime only.
function scoped(init) {
  const outer = init?.signal;
  if (!outer) return [init, () => {}];
  const ac = new AbortController();
  const onAbort = () => ac.abort(outer.reason);
  if (outer.aborted) ac.abort(outer.reason);
  else outer.addEventListener('abort', onAbort, { once: true });
  return [{ ...init, signal: ac.signal }, () => outer.removeEventListener('abort', onAbort)];
}
const fetches = {
  undiciFetch: (url, init) => undici.fetch(url, { ...init, dispatcher: agent }),
  globalScoped: async (url, init) => {
    const [i, done] = scoped(init);
    try {
      return await fetch(url, i);
    } finally {
      done();
    }
  },
  lean: async (url, init) => {
    const [i, done] = scoped(init);
    const headers = {};
    new Headers(i.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const res = await undici.request(url, {
      method: i.method,
      headers,
      body: i.body,
      dispatcher: agent,
      signal: i.signal,
    });
    const h = new Headers();
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
    const ct = h.get('content-type') ?? '';
    if (ct.includes('text/event-stream')) {
      res.body.once('close', done);
      return new Response(Readable.toWeb(res.body), { status: res.statusCode, headers: h });
    }
    const text = await res.body.text();
    done();
    return new Response(res.statusCode === 202 || res.statusCode === 204 ? null : text, {
      status: res.statusCode,
      headers: h,
    });
  },
};
const s = await startServerChild();
for (const era of ['legacy', 'modern']) {
  const variants = {};
  const c0 = await openClient('raw', { transport: 'http', era, url: s.url });
  variants.raw = c0.echo;
  const open = [c0];
  for (const [name, f] of Object.entries(fetches)) {
    const client = new Client(
      { name: 'x', version: '1' },
      { versionNegotiation: { mode: era === 'modern' ? { pin: MODERN } : 'legacy' } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(s.url), { fetch: f }));
    variants['raw+' + name] = () => client.callTool({ name: 'echo', arguments: { text: 'hello' } });
    open.push({ close: () => client.close() });
  }
  const m = await openClient('mcp', { transport: 'http', era, url: s.url });
  variants.mcp = m.echo;
  open.push(m);
  for (const v of Object.values(variants)) await runLoad(v, { calls: 300, concurrency: conc });
  const res = {};
  const w = {};
  for (let r = 0; r < 4; r++)
    for (const [k, v] of r % 2 ? Object.entries(variants).reverse() : Object.entries(variants)) {
      (res[k] ??= []).push(await runLoad(v, { calls: 800, concurrency: conc }));
      await new Promise((r) => setImmediate(r));
      w[k] = (w[k] ?? 0) + warns;
      warns = 0;
    }
  const base = median(res.raw.map((r) => r.cpuUsPerCall));
  for (const [k, runs] of Object.entries(res)) {
    const cpu = median(runs.map((r) => r.cpuUsPerCall));
    console.log(
      era,
      `c=${conc}`,
      k.padEnd(18),
      'cpu µs',
      cpu.toFixed(0).padStart(5),
      (cpu / base).toFixed(2) + 'x',
      'calls/s',
      median(runs.map((r) => r.callsPerSec))
        .toFixed(0)
        .padStart(5),
      'med ms',
      median(runs.map((r) => r.medianMs)).toFixed(2),
      'warn',
      w[k],
    );
  }
  for (const c of open) await c.close();
}
await s.stop();
await agent.close();
