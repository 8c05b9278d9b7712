// The tool a client is asked about: a bare name, or `mcp://<server>/<tool>` naming this
// client's own server (a client speaks to its own server only).
import { McpConfigError, parseMcpUri } from '@tframex/mcp-api';

/** The tool name in `uriOrName`; an McpConfigError for another server's URI or a wildcard. */
export function toolNameInUri(uriOrName: string, server: string): string {
  if (!uriOrName.toLowerCase().startsWith('mcp://')) return uriOrName;
  const uri = parseMcpUri(uriOrName);
  if (uri.server !== server) {
    throw new McpConfigError(
      `${uriOrName} names server "${uri.server}", but this client is "${server}"`,
      { field: 'uri', expected: `mcp://${server}/<tool>`, received: uriOrName },
    );
  }
  if (uri.wildcard) {
    throw new McpConfigError(`${uriOrName} names every tool; getToolInfo needs one`, {
      field: 'uri',
      expected: 'mcp://<server>/<tool>',
      received: uriOrName,
    });
  }
  return uri.name;
}
