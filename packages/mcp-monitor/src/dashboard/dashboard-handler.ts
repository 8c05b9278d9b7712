// Serves the live dashboard: the page on GET, its data (the JSON export) on `?data`. Works
// wherever it is mounted, since the page asks for its data relative to its own URL.
import { send, type McpHttpHandler, queryOf } from '../http/http-types.js';
import { loadChartLibrary } from './chart-library.js';
import { renderDashboardPage, type DashboardPage } from './dashboard-page.js';

export interface DashboardHandlerOptions {
  /** Page title (default `MCP monitor`). */
  title?: string;
  /** How often the page asks for new data, in ms (default 1 000). */
  refreshMs?: number;
}

export function createDashboardHandler(
  data: () => Promise<string>,
  options: { title: string; refreshMs: number },
): McpHttpHandler {
  let page: Promise<DashboardPage> | undefined;
  const pageOnce = () => {
    page ??= loadChartLibrary().then((library) =>
      renderDashboardPage({
        title: options.title,
        refreshMs: options.refreshMs,
        chartScript: library.script,
        chartCss: library.css,
      }),
    );
    // A failed load is tried again on the next request.
    page.catch(() => (page = undefined));
    return page;
  };
  return (request, response) => {
    const method = request.method ?? 'GET';
    const head = method === 'HEAD';
    if (method !== 'GET' && !head) {
      send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', false, {
        allow: 'GET, HEAD',
      });
      return;
    }
    const failed = () =>
      send(response, 500, 'text/plain; charset=utf-8', 'The dashboard failed\n', head);
    if (queryOf(request).has('data')) {
      data().then(
        (body) => send(response, 200, 'application/json; charset=utf-8', body, head),
        failed,
      );
      return;
    }
    pageOnce().then(
      ({ html, contentSecurityPolicy }) =>
        send(response, 200, 'text/html; charset=utf-8', html, head, {
          'content-security-policy': contentSecurityPolicy,
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
        }),
      failed,
    );
  };
}
