// An HTTP handler that serves the metrics to a scraper: OpenMetrics when the Accept header asks
// for it (Prometheus does), else the Prometheus text format; `?format=json|prometheus|openmetrics`
// chooses explicitly.
import { CONTENT_TYPES } from '../export/exposition-writer.js';
import { acceptsGzip, gzip, headerOf, queryOf, send, type McpHttpHandler } from './http-types.js';

/** Smaller bodies go as they are: compressing them saves less than it costs. */
const GZIP_FROM_BYTES = 1024;

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
    const head = method === 'HEAD';
    const contentType =
      format === 'json' ? 'application/json; charset=utf-8' : CONTENT_TYPES[format];
    const compress = acceptsGzip(request);
    render(format)
      .then(async (body) => {
        if (!compress || body.length < GZIP_FROM_BYTES) {
          send(response, 200, contentType, body, head, { vary: 'accept, accept-encoding' });
          return;
        }
        send(response, 200, contentType, await gzip(body), head, {
          'content-encoding': 'gzip',
          vary: 'accept, accept-encoding',
        });
      })
      .catch(() => {
        if (response.headersSent === true) response.end();
        else
          send(
            response,
            500,
            'text/plain; charset=utf-8',
            'The metrics could not be rendered\n',
            head,
          );
      });
  };
}
