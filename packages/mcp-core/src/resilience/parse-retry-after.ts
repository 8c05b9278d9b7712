// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as milliseconds to wait.

const DELAY_SECONDS = /^\d{1,10}$/;
const IMF_FIXDATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850 = /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * Milliseconds to wait according to a Retry-After header value, or undefined when the value
 * is absent or malformed. A date in the past means 0.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  if (DELAY_SECONDS.test(value)) return Number(value) * 1000;
  let dateMs = Number.NaN;
  if (IMF_FIXDATE.test(value) || RFC_850.test(value)) dateMs = Date.parse(value);
  // asctime carries no zone; HTTP dates are always GMT.
  else if (ASCTIME.test(value)) dateMs = Date.parse(`${value} GMT`);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}
