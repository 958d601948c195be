import { ConfigurationError } from '@tenantvec/core';

/** Known to anyone who reads this repository: only for `--development` runs. */
export const developmentSecret = 'development-secret-change-me-0123456789';
/** Large enough for a 10 MB document as JSON, small enough that one request cannot exhaust memory. */
export const defaultMaxRequestBytes = 16 * 1024 * 1024;

export interface ServiceSettings {
  secret: string;
  /** The development secret is in use and tokens are printed at start. */
  development: boolean;
  port: number;
  redisUrl: string | undefined;
  whenRedisUnavailable: 'fail-closed' | 'fail-open';
  maxRequestBytes: number;
}

function whole(value: string | undefined, fallback: number, name: string, minimum: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < minimum) throw new ConfigurationError(`${name} must be a whole number of at least ${minimum}, got "${value}".`);
  return parsed;
}

/**
 * The service's settings from its environment. Without JWT_SECRET it refuses to start, unless
 * development is asked for explicitly (`--development` or RAG_SERVICE_DEVELOPMENT=1): a
 * forgotten variable must never put a secret from a public repository in production.
 */
export function readServiceSettings(environment: Record<string, string | undefined>, argv: readonly string[] = []): ServiceSettings {
  const development = argv.includes('--development') || environment.RAG_SERVICE_DEVELOPMENT === '1';
  const given = environment.JWT_SECRET;
  let secret: string;
  if (given === undefined || given === '') {
    if (!development) {
      throw new ConfigurationError('JWT_SECRET is not set. Set it to a random secret of at least 32 bytes, or start with --development (or RAG_SERVICE_DEVELOPMENT=1) to use the public development secret.');
    }
    secret = developmentSecret;
  } else {
    // HS256 with a short secret can be brute-forced offline from a single token.
    if (Buffer.byteLength(given) < 32) throw new ConfigurationError('JWT_SECRET must be at least 32 bytes long.');
    // Anyone who reads this repository can sign tokens with it: set on purpose, it still needs the flag.
    if (given === developmentSecret && !development) {
      throw new ConfigurationError('JWT_SECRET is the public development secret. Set it to a random secret of at least 32 bytes, or start with --development (or RAG_SERVICE_DEVELOPMENT=1).');
    }
    secret = given;
  }
  const policy = environment.REDIS_UNAVAILABLE ?? 'fail-closed';
  if (policy !== 'fail-closed' && policy !== 'fail-open') throw new ConfigurationError(`REDIS_UNAVAILABLE must be fail-closed or fail-open, got "${policy}".`);
  return {
    secret,
    development: secret === developmentSecret,
    port: whole(environment.PORT, 8787, 'PORT', 0),
    redisUrl: environment.REDIS_URL === '' ? undefined : environment.REDIS_URL,
    whenRedisUnavailable: policy,
    maxRequestBytes: whole(environment.MAX_REQUEST_BYTES, defaultMaxRequestBytes, 'MAX_REQUEST_BYTES', 1),
  };
}
