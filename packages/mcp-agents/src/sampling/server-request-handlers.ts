// The handlers for server requests (sampling, elicitation): per agent run, passed with each
// tool call so the model of the agent whose call caused a request answers it; and per runtime,
// installed on every session with `setServerRequestHandler` (announcing the capability before
// the first connection) for requests whose origin the session cannot tell.
import type { McpServerRequestHandlers, McpToolSource } from '@tframex/mcp-api';
import type { Runtime } from '../app/runtime.js';
import type { ChatModel } from '../model/chat-model.js';
import { createElicitationHandler, createSamplingHandler } from './sampling-handler.js';

/**
 * Handlers for the tool calls of one agent run, answered with that agent's model; undefined
 * when the app serves neither sampling nor elicitation.
 */
export function serverRequestHandlersFor(
  runtime: Runtime,
  agent: string,
  model: ChatModel,
): McpServerRequestHandlers | undefined {
  const hooks = runtime.serverRequestHooks;
  if (hooks.sampling === false && !hooks.onElicitation) return undefined;
  return {
    ...(hooks.sampling !== false
      ? {
          'sampling/createMessage': createSamplingHandler({
            model,
            agent,
            hooks,
            limiter: runtime.samplingLimiter,
          }),
        }
      : {}),
    ...(hooks.onElicitation
      ? { 'elicitation/create': createElicitationHandler(hooks, agent) }
      : {}),
  };
}

/**
 * Installs session-wide handlers on every session of `source` that takes them. A request with
 * no known origin is answered by the model of the one agent with calls in flight on that
 * server, else by the runtime's model. Returns a function that removes them.
 */
export function installSessionHandlers(runtime: Runtime, source: McpToolSource): () => void {
  const hooks = runtime.serverRequestHooks;
  const removers: Array<() => void> = [];
  for (const server of source.serverNames) {
    const session = source.getSession(server);
    if (!session?.setServerRequestHandler) continue;
    if (hooks.sampling !== false) {
      removers.push(
        session.setServerRequestHandler('sampling/createMessage', (params, context) => {
          const caller = runtime.soleCaller(context.server);
          const model = caller?.model ?? runtime.llm;
          if (!model) {
            throw new Error(`No model can answer sampling for "${context.server}"`);
          }
          return createSamplingHandler({
            model,
            agent: caller?.agent,
            hooks,
            limiter: runtime.samplingLimiter,
          })(params, context);
        }),
      );
    }
    if (hooks.onElicitation) {
      removers.push(
        session.setServerRequestHandler('elicitation/create', (params, context) =>
          createElicitationHandler(hooks, runtime.soleCaller(context.server)?.agent)(
            params,
            context,
          ),
        ),
      );
    }
  }
  return () => {
    for (const remove of removers) remove();
  };
}
