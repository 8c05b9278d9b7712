// The dashboard page: one self-contained HTML document (uPlot and the page's script inlined, no
// CDN, no other request than its own data), with a Content-Security-Policy that allows exactly
// those inline scripts (by hash) and fetches to its own origin.
import { DASHBOARD_CLIENT_SCRIPT } from './dashboard-client-script.js';

export interface DashboardPageInput {
  title: string;
  refreshMs: number;
  chartScript: string;
  chartCss: string;
}

export interface DashboardPage {
  html: string;
  contentSecurityPolicy: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
/** Inlined code must not close its own <script> or <style> element. */
const inlineSafe = (code: string, tag: string): string =>
  code.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `'sha256-${Buffer.from(digest).toString('base64')}'`;
}

const PAGE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #212529; background: #f8f9fa; }
header { display: flex; align-items: baseline; gap: 1rem; padding: 0.8rem 1.2rem; background: #212529; color: #f8f9fa; }
header h1 { font-size: 1.2rem; margin: 0; }
header small { opacity: 0.7; }
main { padding: 1rem 1.2rem; display: grid; gap: 1rem; }
.cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 1rem; }
.card, section { background: #fff; border: 1px solid #dee2e6; border-radius: 6px; padding: 0.8rem; }
.card b { display: block; font-size: 1.5rem; }
.charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
.cards > *, .charts > *, main > * { min-width: 0; }
section { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e9ecef; }
th { font-weight: 600; color: #495057; }
.state-connected { color: #2b8a3e; font-weight: 600; }
.state-failed, .state-disconnected, .state-closed { color: #c92a2a; font-weight: 600; }
.state-reconnecting, .state-connecting { color: #e8590c; }
.last-error { color: #868e96; max-width: 30rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#error { color: #c92a2a; }
`;

export async function renderDashboardPage(input: DashboardPageInput): Promise<DashboardPage> {
  const config = JSON.stringify({ dataUrl: '?data', refreshMs: input.refreshMs }).replace(
    /</g,
    '\\u003c',
  );
  const chartScript = inlineSafe(input.chartScript, 'script');
  const clientScript = inlineSafe(DASHBOARD_CLIENT_SCRIPT, 'script');
  const styles = inlineSafe(`${input.chartCss}\n${PAGE_CSS}`, 'style');
  const title = escapeHtml(input.title);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${styles}</style>
</head>
<body>
<header><h1>${title}</h1><small>updated <span id="updated">–</span></small><span id="error"></span></header>
<main>
<div class="cards">
  <div class="card">Servers connected<b id="summary-connected">–</b></div>
  <div class="card">Requests / min<b id="summary-rpm">–</b></div>
  <div class="card">Mean latency<b id="summary-latency">–</b></div>
  <div class="card">Error rate<b id="summary-errors">–</b></div>
</div>
<section><h2>Servers</h2>
<table><thead><tr><th>Server</th><th>State</th><th>Latency</th><th>p95</th><th>Req/min</th><th>Errors</th><th>In flight</th><th>Last success</th><th>Last error</th></tr></thead>
<tbody id="servers"></tbody></table></section>
<div class="charts"><section id="latency-chart"></section><section id="traffic-chart"></section></div>
<section><h2>Top tools</h2>
<table><thead><tr><th>Tool</th><th>Calls</th><th>p50</th><th>p95</th><th>Errors</th></tr></thead>
<tbody id="tools"></tbody></table></section>
</main>
<script type="application/json" id="mcp-config">${config}</script>
<script>${chartScript}</script>
<script>${clientScript}</script>
</body>
</html>
`;
  const [chartHash, clientHash] = await Promise.all([sha256(chartScript), sha256(clientScript)]);
  return {
    html,
    contentSecurityPolicy: [
      "default-src 'none'",
      `script-src ${chartHash} ${clientHash}`,
      "style-src 'unsafe-inline'",
      "connect-src 'self'",
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  };
}
