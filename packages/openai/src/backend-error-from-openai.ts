import { BackendError } from '@tenantvec/core';
import { APIConnectionError } from 'openai';

/** Shape of the openai client's errors, read by duck typing so any copy or version of it works. */
interface ClientErrorFields {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  code?: unknown;
  type?: unknown;
  param?: unknown;
  requestID?: unknown;
  cause?: unknown;
}

/** Shapes of OpenAI keys (`sk-...`, `sk-proj-...`), in case a server echoes one we were not told of. */
const keyLike = /\bsk-[A-Za-z0-9_*-]{6,}/g;
const shortestRedactedText = 4;
const longestMessage = 300;

/**
 * Removes the API key, anything shaped like a key, and every request text from a message. The
 * API echoes a masked key on 401s and compatible servers may quote inputs; neither the key nor
 * a tenant's text may reach logs through an error.
 */
export function redact(message: string, params: { secrets: readonly string[]; texts: readonly string[] }): string {
  let cleaned = message;
  for (const secret of params.secrets) if (secret.length > 0) cleaned = cleaned.split(secret).join('[redacted key]');
  cleaned = cleaned.replace(keyLike, '[redacted key]');
  // Longest first, so a text that contains a shorter one is removed whole.
  const texts = [...new Set(params.texts)].filter((text) => text.length >= shortestRedactedText).sort((a, b) => b.length - a.length);
  for (const text of texts) cleaned = cleaned.split(text).join('[text]');
  return cleaned.length > longestMessage ? `${cleaned.slice(0, longestMessage)}…` : cleaned;
}

function isRetryableStatus(status: number): boolean {
  // The same statuses the openai client itself retries: timeouts, lock conflicts, rate limits, server errors.
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Turns a failed request (after the client's own retries) into core's `BackendError`. The
 * original error is not kept as `cause`: it carries the request's headers and the server's raw
 * message. The cause is a copy with only redacted, non-secret fields.
 */
export function backendErrorFromOpenAI(
  error: unknown,
  params: { embedderName: string; secrets: readonly string[]; texts: readonly string[]; request: string },
): BackendError {
  const fields = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ClientErrorFields;
  const status = typeof fields.status === 'number' ? fields.status : undefined;
  // The client's error classes leave `name` as 'Error'; their class names say what happened.
  const className = (error as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  const name = typeof className === 'string' && className !== 'Error' && className !== 'Object' ? className : typeof fields.name === 'string' ? fields.name : 'Error';
  const isConnection = error instanceof APIConnectionError || (status === undefined && /Connection|Timeout/.test(name));
  const rawMessage = typeof fields.message === 'string' ? fields.message.replace(/\.$/, '') : '';
  const causeCode = (fields.cause as { cause?: { code?: unknown }; code?: unknown } | undefined)?.cause?.code ?? (fields.cause as { code?: unknown } | undefined)?.code;
  const details = [
    status === undefined ? undefined : String(status),
    typeof fields.type === 'string' ? fields.type : undefined,
    typeof fields.code === 'string' ? fields.code : undefined,
    typeof causeCode === 'string' ? causeCode : undefined,
  ].filter((detail) => detail !== undefined);
  const retryable = isConnection || (status !== undefined && isRetryableStatus(status));
  const message = redact(rawMessage, params);
  const requestId = typeof fields.requestID === 'string' ? ` (request id ${fields.requestID})` : '';
  const retried = retryable ? ' The openai client retried it as often as maxRetries allows; retrying later may succeed.' : '';

  const cause = Object.assign(new Error(message), {
    name,
    ...(status === undefined ? {} : { status }),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.type === 'string' ? { type: fields.type } : {}),
    ...(typeof fields.param === 'string' ? { param: fields.param } : {}),
    ...(typeof fields.requestID === 'string' ? { requestID: fields.requestID } : {}),
  });
  return new BackendError(
    `${params.embedderName}: ${params.request} failed${details.length > 0 ? ` (${details.join(', ')})` : ''}: ${message || name}${requestId}.${retried}`,
    { cause, retryable },
  );
}
