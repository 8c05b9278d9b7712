// A connection of the test's own to the Redis under test, to look at what a store wrote.
import { createClient } from 'redis';
import type { RedisClient } from '../connection/redis-connection.js';

/** Runs `use` on a fresh connection to `url`, closed afterwards. */
export async function withAdmin<T>(url: string, use: (admin: RedisClient) => Promise<T>) {
  const admin = createClient({ url }) as RedisClient;
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.close();
  }
}
