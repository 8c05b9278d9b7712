// openInBrowser: opens an authorization URL in the user's browser with the platform's opener
// (open, xdg-open, rundll32). The URL is passed as one argument, never through a shell.
import { McpConfigError } from '@tframex/mcp-api';
import { execFile } from 'node:child_process';

function opener(url: string): [string, string[]] {
  switch (process.platform) {
    case 'darwin':
      return ['open', [url]];
    case 'win32':
      return ['rundll32', ['url.dll,FileProtocolHandler', url]];
    default:
      return ['xdg-open', [url]];
  }
}

/** Opens `url` (http or https) in the default browser; resolves once the opener has run. */
export async function openInBrowser(url: URL | string): Promise<void> {
  const target = new URL(String(url));
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new McpConfigError(`openInBrowser opens http(s) URLs only, not ${target.protocol}`, {
      field: 'url',
      expected: 'an http or https URL',
      received: target.protocol,
    });
  }
  const [command, args] = opener(target.href);
  await new Promise<void>((resolve, reject) => {
    execFile(command, args, { timeout: 15_000, windowsHide: true }, (error) => {
      if (!error) return resolve();
      reject(
        new McpConfigError(
          `cannot open a browser with ${command}; show the URL to the user instead`,
          {
            field: 'openUrl',
            expected: `a working ${command} on this system`,
            cause: error,
          },
        ),
      );
    });
  });
}
