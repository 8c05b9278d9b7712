// An HTTP handler that serves the metrics to a scraper: OpenMetrics when the Accept header asks
// for it (Prometheus does), else the Prometheus text format; `?format=json|prometheus|openmetrics`
// chooses explicitly.
import { CONTENT_TYPES } from '../export/exposition-writer.js';
import { headerOf, queryOf, send, type McpHttpHandler } from './http-types.js';

export type McpMetricsFormat = 'prometheus' | 'openmetrics' | 'json';

export interface MetricsHandlerOptions {
  /** `auto` (default) negotiates with the Accept header. */
  format?: McpMetricsFormat | 'auto';
}

const FORMATS: ReadonlySet<string> = new Set(['prometheus', 'openmetrics', 'json']);

export function negotiateFormat(accept: string): McpMetricsFormat {
  return /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'prometheus';
}

export function createMetricsHandler(
  render: (format: McpMetricsFormat) => Promise<string>,
  options: MetricsHandlerOptions = {},
): McpHttpHandler {
  return (request, response) => {
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', false, {
        allow: 'GET, HEAD',
      });
      return;
    }
    const asked = queryOf(request).get('format');
    if (asked !== null && !FORMATS.has(asked)) {
      send(
        response,
        400,
        'text/plain; charset=utf-8',
        'format must be prometheus, openmetrics or json\n',
        method === 'HEAD',
      );
      return;
    }
    const format: McpMetricsFormat =
      (asked as McpMetricsFormat | null) ??
      (options.format === undefined || options.format === 'auto'
        ? negotiateFormat(headerOf(request, 'accept'))
        : options.format);
    render(format).then(
      (body) =>
        send(
          response,
          200,
          format === 'json' ? 'application/json; charset=utf-8' : CONTENT_TYPES[format],
          body,
          method === 'HEAD',
        ),
      () =>
        send(
          response,
          500,
          'text/plain; charset=utf-8',
          'The metrics could not be rendered\n',
          method === 'HEAD',
        ),
    );
  };
}
