import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRetryAfter } from './parse-retry-after.js';

const now = Date.UTC(2026, 10, 6, 8, 49, 37);

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads the three HTTP-date forms relative to now', () => {
    const in30s = new Date(now + 30_000);
    const imf = in30s.toUTCString();
    expect(parseRetryAfter(imf, now)).toBe(30_000);
    const [weekday = '', day = '', month = '', year = '', time = ''] = imf
      .replace(',', '')
      .split(' ');
    const longDays: Record<string, string> = { Fri: 'Friday' };
    expect(
      parseRetryAfter(
        `${longDays[weekday] ?? weekday}, ${day}-${month}-${year.slice(2)} ${time} GMT`,
        now,
      ),
    ).toBe(30_000);
    expect(
      parseRetryAfter(`${weekday} ${month} ${day.padStart(2, ' ')} ${time} ${year}`, now),
    ).toBe(30_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfter(new Date(now - 60_000).toUTCString(), now)).toBe(0);
  });

  it.each([null, undefined, '', 'soon', '1.5', '-3', '12abc', 'Fri, 06 Nov 2026'])(
    'returns undefined for %j',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it('never throws and never returns a negative or non-finite wait (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const result = parseRetryAfter(value, now);
        return result === undefined || (Number.isFinite(result) && result >= 0);
      }),
    );
  });
});
