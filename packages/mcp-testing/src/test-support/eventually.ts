// Waits for an assertion to pass, generously: the suite must hold on a busy 2-core machine,
// where vi.waitFor's one-second default is too tight. Fails with the assertion's own error.
import { vi } from 'vitest';

export function eventually<T>(assertion: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  return vi.waitFor(assertion, { timeout: timeoutMs, interval: 20 });
}
