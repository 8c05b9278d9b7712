// A tool handler that hangs until its request is cancelled, counting the cancellation even
// when it came before the handler started.
export function untilAborted(signal: AbortSignal, onAbort: () => void = () => undefined) {
  return new Promise<string>((resolve) => {
    const done = () => {
      onAbort();
      resolve('late');
    };
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}
