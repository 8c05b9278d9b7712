// `context.ask(...)`: a handler asks the client for sampling, elicitation or roots the same way
// in both eras. Legacy connections get a server-to-client request. 2026-07-28 connections have
// none: the first run of the handler stops at the question (the tool answers `input_required`),
// the client answers and calls again, and the handler runs from the start, now finding the
// answer. Answers of earlier rounds travel in `requestState` (the client only sends the last
// round's `inputResponses`), so a handler may ask several times in a row.
import { inputRequired, type ServerContext } from '@modelcontextprotocol/server';

export type ClientAskMethod = 'sampling/createMessage' | 'elicitation/create' | 'roots/list';

/** Thrown by `ask` on a modern connection to stop the handler; the tool turns it into `input_required`. */
export class InputRequiredSignal extends Error {
  readonly key: string;
  readonly request: { method: ClientAskMethod; params?: Record<string, unknown> };
  readonly answers: Record<string, unknown>;

  constructor(
    key: string,
    request: { method: ClientAskMethod; params?: Record<string, unknown> },
    answers: Record<string, unknown>,
  ) {
    super(`The handler needs the client to answer ${request.method} first`);
    this.name = 'InputRequiredSignal';
    this.key = key;
    this.request = request;
    this.answers = answers;
  }

  /** The `input_required` result that asks the question and carries the earlier answers. */
  toResult(): unknown {
    return inputRequired({
      inputRequests: { [this.key]: this.request as never },
      requestState: Buffer.from(JSON.stringify(this.answers)).toString('base64url'),
    });
  }
}

function earlierAnswers(sdk: ServerContext): Record<string, unknown> {
  const state = sdk.mcpReq.requestState<string>();
  if (typeof state !== 'string' || state === '') return {};
  try {
    const decoded: unknown = JSON.parse(Buffer.from(state, 'base64url').toString());
    return typeof decoded === 'object' && decoded !== null
      ? (decoded as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Builds the `ask` of one handler run. */
export function createAsk(
  sdk: ServerContext,
  era: 'legacy' | 'modern',
): (method: ClientAskMethod, params?: Record<string, unknown>) => Promise<Record<string, unknown>> {
  let asked = 0;
  let answers: Record<string, unknown> | undefined;
  return async (method, params) => {
    if (era === 'legacy') {
      const request = params === undefined ? { method } : { method, params };
      return (await sdk.mcpReq.send(request as never)) as Record<string, unknown>;
    }
    const key = `ask-${asked++}`;
    answers ??= { ...earlierAnswers(sdk), ...sdk.mcpReq.inputResponses };
    if (key in answers) return answers[key] as Record<string, unknown>;
    throw new InputRequiredSignal(
      key,
      params === undefined ? { method } : { method, params },
      answers,
    );
  };
}
