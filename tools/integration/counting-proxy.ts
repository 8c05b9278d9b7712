// A TCP proxy on 127.0.0.1 that counts the chunks a client sends through it: in front of
// Redis, how many round trips the client's commands took (commands sent together arrive
// together).
import { createConnection, createServer, type Socket } from 'node:net';

export interface CountingProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  readonly url: string;
  /** Chunks received from clients so far. */
  chunks(): number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: {
  host: string;
  port: number;
}): Promise<CountingProxy> {
  let chunks = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', () => (chunks += 1));
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    chunks: () => chunks,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
