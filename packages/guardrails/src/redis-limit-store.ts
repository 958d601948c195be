import type { ConsumeResult, LimitStore } from './limit-store.js';

/**
 * The one method used from a Redis client, in the shape of `redis` (node-redis) clients:
 * `createClient()` fits as it is. Other clients fit through a one-line adapter.
 */
export interface RedisScriptClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export interface RedisLimitStoreSettings {
  client: RedisScriptClient;
  /** Put before every key, so several services share one Redis. @default 'tenantvec:limits:' */
  keyPrefix?: string;
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
  const run = (script: string, key: string, ...args: string[]) => client.eval(script, { keys: [prefix + key], arguments: args });
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
