import { describe, expect, it } from 'vitest';
import { main as eventsAndLogs } from './events-and-logs.js';
import { main as fanOut } from './fan-out.js';
import { main as windowed } from './windowed.js';

describe('examples', () => {
  it('events-and-logs: iterates events, publishes, filters logs', async () => {
    const { updates, errors } = await eventsAndLogs();
    expect(updates).toEqual([{ user_id: 123, action: 'login', type: 'user_action' }]);
    expect(errors.map((e) => [e.level, (e.data as { service: string }).service])).toEqual([
      ['critical', 'api'],
    ]);
  });

  it('windowed: summaries of full windows, then the partial one', async () => {
    const { summaries, summary } = await windowed();
    expect(summaries).toHaveLength(3);
    expect(summary).toMatchObject({ windows: 3, events: 250, endReason: 'session-closed' });
  });

  it('fan-out: each order once per group', async () => {
    const seen = await fanOut();
    expect(seen['audit-1']).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([...seen['billing-1']!, ...seen['billing-2']!].sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });
});
