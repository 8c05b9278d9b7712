// Puts a fetch-style handler on node:http at 127.0.0.1, tracking every socket so that close()
// leaves nothing open (keep-alive connections and SSE streams included).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { HttpConnection } from './http-endpoint.js';

export type NodeFetch = (request: Request, connection: HttpConnection) => Promise<Response>;

/** Serve HTTPS with these (PEM); `requestCert` asks clients for a certificate signed by `ca`. */
export interface ListenerTls {
  cert: string;
  key: string;
  ca?: string;
  requestCert?: boolean;
}

export interface NodeListenOptions {
  host: string;
  port: number;
  tls?: ListenerTls;
  maxRequestBodyBytes: number;
  onError: (error: Error) => void;
}

export class NodeListener {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly host: string;
  readonly port: number;

  private constructor(server: Server, host: string, port: number, sockets: Set<Socket>) {
    this.#server = server;
    this.host = host;
    this.port = port;
    this.#sockets = sockets;
  }

  static async listen(fetch: NodeFetch, options: NodeListenOptions): Promise<NodeListener> {
    const sockets = new Set<Socket>();
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      const connection: HttpConnection = { destroy: () => req.socket.destroy() };
      const handler = toNodeHandler(
        { fetch: (request) => fetch(request, connection) },
        { maxRequestBodySize: options.maxRequestBodyBytes, onerror: options.onError },
      );
      handler(req, res).catch((error: unknown) => {
        options.onError(error instanceof Error ? error : new Error(String(error)));
        res.destroy();
      });
    };
    const tls = options.tls;
    const server: Server = tls
      ? (createSecureServer(
          {
            cert: tls.cert,
            key: tls.key,
            ...(tls.ca ? { ca: tls.ca } : {}),
            ...(tls.requestCert ? { requestCert: true, rejectUnauthorized: true } : {}),
          },
          onRequest,
        ) as unknown as Server)
      : createServer(onRequest);
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return new NodeListener(server, options.host, port, sockets);
  }

  /** Destroys every open connection (streams included) and keeps listening. */
  dropConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  /** Stops listening and destroys every open connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#server.closeAllConnections();
    await closed;
  }
}
