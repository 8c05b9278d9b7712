// A subscription fed from a StreamBus consumer group instead of the session: each entry is
// offered with a receipt, and the bus acknowledges it once the consumer is done with it.
import type { StreamBus, StreamBusConsumer } from '@tframex/mcp-api';
import type { McpStreamSubscription } from '../subscription/mcp-stream-subscription.js';
import { fromBusEntry } from './bus-payload.js';

export interface BusFeedInit {
  bus: StreamBus;
  topic: string;
  group: string;
  consumer: string;
  startAt: 'new' | 'start' | undefined;
  claimIdleMs: number | undefined;
  nextSeq: () => number;
  reportError: (error: unknown, where: string) => void;
}

export async function feedFromBus<T>(
  subscription: McpStreamSubscription<T>,
  init: BusFeedInit,
): Promise<StreamBusConsumer> {
  // Entries may arrive before consume() has resolved: the handler looks the consumer up late.
  const running: { consumer?: StreamBusConsumer } = {};
  const consumer = await init.bus.consume(
    init.topic,
    {
      group: init.group,
      consumer: init.consumer,
      // The buffer bounds what is in flight: the bus never hands over more than it holds.
      maxInFlight: subscription.bufferSize,
      ...(init.startAt ? { startAt: init.startAt } : {}),
      ...(init.claimIdleMs !== undefined ? { claimIdleMs: init.claimIdleMs } : {}),
      onError: (error) => init.reportError(error, `consuming ${init.topic}`),
    },
    (entry) =>
      new Promise<void>((resolve, reject) => {
        (subscription as McpStreamSubscription).offer(fromBusEntry(entry, init.nextSeq), {
          resolve,
          reject: (reason) => {
            // The subscription ended: leave the group first, so the bus gives the entry to
            // another member (or back to this one after a restart) instead of retrying here.
            void running.consumer?.stop();
            reject(reason);
          },
        });
      }),
  );
  running.consumer = consumer;
  void subscription.closed.then(() => consumer.stop());
  if (subscription.endReason !== undefined) await consumer.stop();
  return consumer;
}
