// Feeds a subscription through a Windower into the user's processor, one window at a time.
// A processor that throws is reported and the stream goes on; at the end the window in
// flight is processed (marked partial) or discarded, as chosen.
import type { McpStreamEvent } from '../stream-event.js';
import type {
  McpStreamEndReason,
  McpStreamSubscription,
} from '../subscription/mcp-stream-subscription.js';
import type { McpClosedWindow, McpWindowCloseReason, Windower } from './windower.js';

/** What the processor learns about the window it is given. */
export interface McpWindowInfo {
  /** 0, 1, 2, ... in the order windows closed. */
  index: number;
  openedAt: number;
  closedAt: number;
  reason: McpWindowCloseReason;
  /** True for the window in flight when the stream ended (it may be short). */
  partial: boolean;
}

export type McpWindowProcessor<T = unknown> = (
  events: McpStreamEvent<T>[],
  info: McpWindowInfo,
) => unknown;

/** What `processWindowed` resolves with once the stream has ended. */
export interface McpWindowedSummary {
  /** Windows given to the processor (including one that threw). */
  windows: number;
  /** Events in those windows (counted once per window they were in). */
  events: number;
  /** Windows whose processor threw or rejected. */
  failed: number;
  /** Events of the window in flight that `onEnd: 'discard'` threw away. */
  discarded: number;
  /** Events the subscription's overflow policy dropped. */
  dropped: number;
  endReason: McpStreamEndReason;
}

export interface RunWindowsInit<T> {
  subscription: McpStreamSubscription<T>;
  windower: Windower<T>;
  processor: McpWindowProcessor<T>;
  onEnd: 'flush' | 'discard';
  clock: () => number;
  reportError: (error: unknown, where: string) => void;
}

function sleepUntil(deadline: number, clock: () => number, wake: Promise<void>): Promise<void> {
  const wait = deadline - clock();
  if (wait <= 0) return Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, wait)));
  return Promise.race([elapsed, wake]).finally(() => clearTimeout(timer));
}

export async function runWindows<T>(init: RunWindowsInit<T>): Promise<McpWindowedSummary> {
  const { subscription, windower, processor, clock } = init;
  const summary = { windows: 0, events: 0, failed: 0, discarded: 0 };
  const process = async (window: McpClosedWindow<T>, partial: boolean): Promise<void> => {
    const info: McpWindowInfo = {
      index: summary.windows++,
      openedAt: window.openedAt,
      closedAt: window.closedAt,
      reason: window.reason,
      partial,
    };
    summary.events += window.events.length;
    try {
      await processor(window.events, info);
    } catch (error) {
      summary.failed++;
      init.reportError(error, `window processor (window ${info.index})`);
    }
    // Events from a bus are acknowledged once their window was processed (thrown or not: a
    // window that keeps failing must not come back forever).
    subscription.acknowledge(window.events);
  };

  for (;;) {
    let event: McpStreamEvent<T> | undefined;
    while ((event = subscription.tryNext()) !== undefined) {
      const closed = windower.push(event);
      if (closed) await process(closed, false);
    }
    for (const window of windower.due()) await process(window, false);
    if (subscription.endReason !== undefined && subscription.buffered === 0) break;
    const deadline = windower.nextDeadline();
    const wake = subscription.readable();
    await (deadline === undefined ? wake : sleepUntil(deadline, clock, wake));
  }

  const last = windower.flush();
  if (last) {
    if (init.onEnd === 'flush') await process(last, true);
    else {
      summary.discarded += last.events.length;
      subscription.release(last.events);
    }
  }
  return {
    ...summary,
    dropped: subscription.dropped,
    endReason: subscription.endReason ?? 'closed',
  };
}
