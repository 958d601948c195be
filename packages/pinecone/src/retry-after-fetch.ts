import { resolveRetrySettings, retryAfterMs, type RetrySettings } from '@tenantvec/core/backend';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The client's errors drop the response, so `Retry-After` is honoured here, below the client: a
 * 429 that names its wait is resent once after it (capped at `maxDelayMs`). Later 429s reach the
 * client and the toolkit's retries back off as usual.
 */
export function honouringRetryAfter(base: typeof fetch, settings: RetrySettings): typeof fetch {
  const { maxDelayMs } = resolveRetrySettings(settings);
  return async (input, init) => {
    const response = await base(input, init);
    if (response.status !== 429) return response;
    const wait = retryAfterMs(response.headers.get('retry-after'));
    if (wait === undefined) return response;
    await response.body?.cancel();
    await sleep(Math.min(maxDelayMs, wait));
    return base(input, init);
  };
}
