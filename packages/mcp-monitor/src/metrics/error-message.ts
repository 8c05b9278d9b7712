// The text of a failure, kept instead of the error itself: an error can hold a whole response
// or a chain of causes, and the monitor must not keep those alive.

/** Longest message kept. */
export const MAX_MESSAGE_LENGTH = 500;

export function errorMessage(error: unknown): string | undefined {
  let text: string | undefined;
  if (error instanceof Error) text = error.message;
  else if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    text = typeof message === 'string' ? message : undefined;
  } else if (error !== undefined) text = String(error);
  return text?.slice(0, MAX_MESSAGE_LENGTH);
}
