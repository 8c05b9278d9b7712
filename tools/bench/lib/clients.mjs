// The two clients under comparison, behind one small interface:
//   mcp  MCPClient from @tframex/mcp-core (built), default options apart from the era
//        (`protocol`) and, where asked, `connectionPoolSize`;
//   raw  the official SDK Client from @modelcontextprotocol/client, with
//        versionNegotiation { mode: 'legacy' } or { mode: { pin: '2026-07-28' } };
//   raw2 a second, identical raw client: raw2/raw is the measurement's own noise (A/A);
//   rawp the raw client asking for progress on each call (onprogress, resetTimeoutOnProgress),
//        like for like with MCPClient's default `requestProgress: true`.
// Each lists the tools once after connecting, before anything is timed.
// Both reach the same server the same way: in memory (an SDK server in this process), over
// Streamable HTTP (a server child the orchestrator started) or over stdio (a server child
// each client spawns itself).
import { fileURLToPath } from 'node:url';
import {
  Client,
  InMemoryTransport,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { MCPClient } from '@tframex/mcp-core';
import { createServerFactory } from './server.mjs';

export const MODERN = '2026-07-28';
const serverScript = fileURLToPath(new URL('./server.mjs', import.meta.url));
const ECHO_ARGS = { text: 'hello' };

/** `{ command, args }` that starts the bench server over stdio. */
export const stdioServerCommand = () => ({
  command: process.execPath,
  args: [serverScript, '--stdio'],
});

/** An SDK server on the other end of an in-memory pair; both eras (serveStdio picks). */
function memoryPair() {
  const [clientEnd, serverEnd] = InMemoryTransport.createLinkedPair();
  const served = serveStdio(createServerFactory(), { transport: serverEnd });
  return { clientEnd, close: () => served.close().catch(() => undefined) };
}

/**
 * Opens a connected client. `spec`: { transport: 'memory'|'http'|'stdio', era, url?, poolSize? }.
 * Returns { kind, echo(), work(), close(), client }.
 */
export async function openClient(kind, spec) {
  const { transport, era } = spec;
  const memory = transport === 'memory' ? memoryPair() : undefined;
  let close;
  let callTool;
  let client;
  if (kind === 'mcp') {
    const target =
      transport === 'memory'
        ? { transport: memory.clientEnd }
        : transport === 'http'
          ? { serverUrl: spec.url }
          : stdioServerCommand();
    client = new MCPClient({
      ...target,
      protocol: era,
      ...(spec.poolSize ? { connectionPoolSize: spec.poolSize } : {}),
    });
    await client.connect();
    callTool = (name, args) => client.callTool(name, args);
    close = () => client.close();
  } else if (kind === 'raw' || kind === 'raw2' || kind === 'rawp') {
    client = new Client(
      { name: 'bench-raw', version: '1.0.0' },
      { versionNegotiation: { mode: era === 'modern' ? { pin: MODERN } : 'legacy' } },
    );
    const sdkTransport =
      transport === 'memory'
        ? memory.clientEnd
        : transport === 'http'
          ? new StreamableHTTPClientTransport(new URL(spec.url))
          : new StdioClientTransport({ ...stdioServerCommand(), stderr: 'ignore' });
    await client.connect(sdkTransport);
    // rawp asks for progress on every call with the timeout restarted by it, as MCPClient
    // does by default: what it takes for a long tool that reports progress not to time out.
    const requestOptions =
      kind === 'rawp' ? { onprogress: () => undefined, resetTimeoutOnProgress: true } : undefined;
    callTool = (name, args) => client.callTool({ name, arguments: args }, requestOptions);
    close = async () => {
      // End the server's session, as MCPClient does on close (outside any measurement).
      if (transport === 'http' && sdkTransport.sessionId)
        await sdkTransport.terminateSession().catch(() => undefined);
      await client.close();
    };
  } else throw new Error(`unknown client kind ${kind}`);

  const check = (result) => {
    if (result?.isError) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
    return result;
  };
  const era_ = kind === 'mcp' ? client.protocolEra : client.getProtocolEra();
  if (era_ !== era) throw new Error(`${kind} spoke ${era_} instead of ${era}`);
  // Both list the tools once, as an agent does before it calls any: each client then knows
  // the tools' schemas (the SDK Client keeps them in its response cache).
  await client.listTools();
  return {
    kind,
    client,
    echo: () => callTool('echo', ECHO_ARGS).then(check),
    work: () => callTool('work', {}).then(check),
    async close() {
      await close();
      await memory?.close();
    },
  };
}
