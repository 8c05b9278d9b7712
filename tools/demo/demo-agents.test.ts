// The demo's agents step with a "real" model: OPENAI_BASE_URL points at a FAKE
// OpenAI-compatible server started here (scripted answers over real HTTP, no model behind it),
// so the step's path through OpenAIChatLLM is exercised as it would be against OpenAI, Ollama
// or vLLM.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = fileURLToPath(new URL('./demo.mjs', import.meta.url));

const completion = (message: Record<string, unknown>, finish: string) => ({
  id: 'chatcmpl-fake',
  object: 'chat.completion',
  model: 'fake-model',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
  usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
});

/** Answers: first a tool call to lookup-sku, then a text answer. Records the requests. */
function startFakeOpenAI(): Promise<{ server: Server; url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += String(chunk)));
    request.on('end', () => {
      const body = JSON.parse(text) as { stream?: boolean };
      bodies.push(body);
      const answer =
        bodies.length === 1
          ? completion(
              {
                content: null,
                tool_calls: [
                  {
                    id: 'call_1',
                    type: 'function',
                    function: { name: 'mock__lookup-sku', arguments: '{"sku":"A-100"}' },
                  },
                ],
              },
              'tool_calls',
            )
          : completion({ content: 'We hold 12 USB-C cables.' }, 'stop');
      if (body.stream) {
        // Streamed as chunks: the whole message in one delta, then [DONE].
        const choice = answer.choices[0]!;
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        const delta = { ...choice.message };
        if (Array.isArray(delta['tool_calls'])) {
          delta['tool_calls'] = (delta['tool_calls'] as object[]).map((call, index) => ({
            index,
            ...call,
          }));
        }
        response.write(
          `data: ${JSON.stringify({ ...answer, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: choice.finish_reason }] })}\n\n`,
        );
        response.end('data: [DONE]\n\n');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/v1`, bodies });
    }),
  );
}

let fake: Server | undefined;
afterEach(async () => {
  fake?.closeAllConnections();
  await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()));
  fake = undefined;
});

describe('the demo agents step with OPENAI_BASE_URL set', () => {
  it('drives DataAnalyst with that model through mcp:// tools', async () => {
    const started = await startFakeOpenAI();
    fake = started.server;
    const child = spawn(process.execPath, [DEMO], {
      cwd: ROOT,
      env: {
        ...process.env,
        NO_COLOR: '1',
        OPENAI_BASE_URL: started.url,
        OPENAI_API_KEY: 'sk-demo-secret',
        OPENAI_MODEL: 'fake-model',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, stdout).toBe(0);
    expect(stdout).toContain(`model: fake-model at ${started.url}`);
    expect(stdout).not.toContain('SCRIPTED MODEL DOUBLE');
    expect(stdout).toMatch(/tool\s+✓ mcp:\/\/mock\/lookup-sku \{ sku: 'A-100' \}/);
    expect(stdout).toMatch(/answer\s+We hold 12 USB-C cables\./);
    expect(stdout).not.toContain('sk-demo-secret');
    expect(started.bodies).toHaveLength(2);
    expect(started.bodies[0]).toMatchObject({ model: 'fake-model', stream: true });
  });
});
