// The live dashboard in a real browser (Debian's headless Chromium, driven by playwright-core):
// the page renders with no error and no CSP violation, lists the server, and its charts move as
// calls go through a real MCP server. A screenshot is kept in test-output/.
import { mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fault, MCPTestClient, MockMCPServer } from '@tframex/mcp-testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath } from '../../../tools/test-services/index.mjs';
import { MCPMonitor } from '../src/index.js';

interface DashboardView {
  polls: number;
  points: number;
  lastP95Ms: number | null;
  lastRps: number | null;
  totalCalls: number;
  error: string | null;
}

const stops: Array<() => Promise<void>> = [];
let server: MockMCPServer;
let client: MCPTestClient;
let url: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  server = new MockMCPServer({ name: 'database' });
  server.addTool('query', () => 'rows');
  server.addTool('broken', () => {
    throw new Error('out of stock');
  });
  await server.start();
  stops.push(() => server.stop());
  client = new MCPTestClient(server.url, { name: 'database' });
  stops.push(() => client.close());
  const monitor = new MCPMonitor(client, { openTelemetry: false });
  stops.push(() => monitor.close());
  const http: Server = createServer(monitor.dashboardHandler({ refreshMs: 250 }));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => http.close(() => resolve())));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/dashboard`;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS] });
  stops.push(() => browser.close());
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
}, 60_000);

afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
}, 30_000);

const view = () =>
  page.evaluate(() => (globalThis as unknown as { mcpDashboard: DashboardView }).mcpDashboard);

describe('dashboardHandler() in headless Chromium', () => {
  it('renders the servers, the charts and the top tools', async () => {
    await client.callTool('query', {});
    await client.callTool('broken', {});
    await page.goto(url);
    const row = page.locator('[data-testid=server-row][data-server=database]');
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    await expect
      .poll(() => row.locator('.state').textContent(), { timeout: 20_000 })
      .toBe('connected');
    await expect
      .poll(async () => (await row.locator('.last-error').textContent()) ?? '')
      .toContain('tool_error');
    expect(await page.locator('.uplot canvas').count()).toBe(2);
    await expect
      .poll(() => page.locator('[data-testid=tool-row]').allTextContents(), { timeout: 20_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('mcp://database/query')]));
    expect(await page.locator('#summary-connected').textContent()).toBe('1 / 1');
  }, 60_000);

  it('moves the charts as calls are made', async () => {
    await expect.poll(async () => (await view()).points, { timeout: 20_000 }).toBeGreaterThan(0);
    const before = await view();
    for (let call = 0; call < 5; call++) await client.callTool('query', {});
    await expect
      .poll(async () => (await view()).totalCalls, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(before.totalCalls + 5);
    await expect.poll(async () => (await view()).lastP95Ms, { timeout: 20_000 }).not.toBeNull();
    // Slower calls push the interval p95 up: the latency line follows them.
    server.faults.inject({ tool: 'query', fault: fault.latency(300) });
    for (let call = 0; call < 3; call++) await client.callTool('query', {});
    await expect
      .poll(async () => (await view()).lastP95Ms ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(200);
    const after = await view();
    expect(after.points).toBeGreaterThan(before.points);
    expect(after.error).toBeNull();
    const screenshot = fileURLToPath(new URL('../test-output/dashboard.png', import.meta.url));
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
  }, 60_000);

  it('loaded nothing from elsewhere and broke no rule of its CSP', async () => {
    const response = await page.request.get(url);
    expect(response.headers()['content-security-policy']).toMatch(/script-src 'sha256-/);
    const html = await response.text();
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(problems).toEqual([]);
  });
});
