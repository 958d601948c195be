import { createClient } from 'redis';

/**
 * A Redis client for the limit store that an outage cannot crash: it has an 'error' listener
 * (without one Node ends the process on the first refused connection), commands fail at once
 * while it is disconnected instead of waiting in the offline queue, and it reconnects in the
 * background, also when Redis is down at start.
 */
export function limitRedisClient(url: string, log: (message: string) => void = console.warn) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  });
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  client.on('error', (error: Error) => {
    // One line every ten seconds during an outage, not one per reconnect attempt.
    if (Date.now() - lastLoggedAt < 10_000) return;
    lastLoggedAt = Date.now();
    log(`rag-service: Redis unavailable (${error.message}); retrying in the background`);
  });
  client.on('ready', () => {
    if (lastLoggedAt !== Number.NEGATIVE_INFINITY) log('rag-service: Redis connected again');
    lastLoggedAt = Number.NEGATIVE_INFINITY;
  });
  client.connect().catch(() => {});
  return {
    client,
    async close(): Promise<void> {
      if (client.isReady) await client.quit();
      else if (client.isOpen) client.destroy();
    },
  };
}
