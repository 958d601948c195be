import { ConfigurationError } from '@tenantvec/core';
import type { ConsumeResult, LimitStore } from './limit-store.js';
import { LimitStoreUnavailableError } from './tenant-errors.js';

/**
 * What is used from a Redis client, in the shape of `redis` (node-redis) clients:
 * `createClient()` fits as it is. Other clients fit through a one-line adapter.
 */
export interface RedisScriptClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** node-redis says `false` while it is disconnected: calls then fail at once instead of queueing. */
  readonly isReady?: boolean;
  /** node-redis: a call that times out is taken out of the client's queue, never sent later. */
  withAbortSignal?(signal: AbortSignal): Pick<RedisScriptClient, 'eval'>;
}

/** Long enough for a Redis across a data centre, short enough that an outage costs a user little. */
export const defaultRedisTimeoutMs = 500;

export interface RedisLimitStoreSettings {
  client: RedisScriptClient;
  /** Put before every key, so several services share one Redis. @default 'tenantvec:limits:' */
  keyPrefix?: string;
  /**
   * The longest one call waits for Redis, in milliseconds; then it fails with
   * `LimitStoreUnavailableError`. @default 500
   */
  timeoutMs?: number;
}

// Each script runs atomically in Redis: no other command interleaves between the read and the write.
const consumeScript = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
if current + amount > tonumber(ARGV[2]) then
  return {0, current, redis.call('PTTL', KEYS[1])}
end
local total = redis.call('INCRBY', KEYS[1], amount)
if tonumber(ARGV[3]) > 0 and redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {1, total, redis.call('PTTL', KEYS[1])}`;

const addScript = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
if total < 0 then
  redis.call('SET', KEYS[1], 0, 'KEEPTTL')
  total = 0
end
if tonumber(ARGV[2]) > 0 and redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return total`;

const readScript = `return tonumber(redis.call('GET', KEYS[1]) or '0')`;
const writeScript = `redis.call('SET', KEYS[1], ARGV[1]) return 1`;

/** Redis integers only: amounts are whole tokens, requests and records. */
function whole(value: number, name: string): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be a whole number.`);
  return String(value);
}

/** Counters in Redis, shared by every process of a service; each update is one Lua script. */
export function redisLimitStore(settings: RedisLimitStoreSettings): LimitStore {
  const { client } = settings;
  const prefix = settings.keyPrefix ?? 'tenantvec:limits:';
  const timeoutMs = settings.timeoutMs ?? defaultRedisTimeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ConfigurationError(`redisLimitStore timeoutMs must be a finite number above 0, got ${String(timeoutMs)}.`);
  const run = async (script: string, key: string, ...args: string[]): Promise<unknown> => {
    // A disconnected node-redis client would queue the call and send it after reconnecting,
    // long after the answer was needed: refuse at once instead.
    if (client.isReady === false) throw new LimitStoreUnavailableError('Redis is not connected; limits cannot be checked.');
    // A call queued past its deadline and sent after a reconnect would charge a counter for a
    // request that was already answered: the abort takes it out of the queue.
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new LimitStoreUnavailableError(`Redis did not answer within ${timeoutMs} ms; limits cannot be checked.`));
      }, timeoutMs);
    });
    const target = typeof client.withAbortSignal === 'function' ? client.withAbortSignal(abort.signal) : client;
    try {
      return await Promise.race([target.eval(script, { keys: [prefix + key], arguments: args }), deadline]);
    } catch (cause) {
      if (LimitStoreUnavailableError.isInstance(cause)) throw cause;
      throw new LimitStoreUnavailableError('Redis refused or lost the call; limits cannot be checked.', { cause });
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async consume({ key, amount, limit, windowMs }): Promise<ConsumeResult> {
      const [allowed, total, ttl] = (await run(consumeScript, key, whole(amount, 'amount'), whole(limit, 'limit'), whole(windowMs ?? 0, 'windowMs'))) as number[];
      return { allowed: allowed === 1, total: Number(total), resetInMs: Number(ttl) >= 0 ? Number(ttl) : undefined };
    },
    async add({ key, amount, windowMs }) {
      return Number(await run(addScript, key, whole(amount, 'amount'), whole(windowMs ?? 0, 'windowMs')));
    },
    async read(key) {
      return Number(await run(readScript, key));
    },
    async write(key, value) {
      await run(writeScript, key, whole(value, 'value'));
    },
  };
}
