import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A strict local stand-in for `POST /v1/embeddings`, for tests without a network or a key. It
 * checks requests the way the real API does (bearer key, known fields only, input and dimension
 * limits), answers with deterministic unit vectors, and can be told to fail the next requests.
 */

const nativeDimensions: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};
const allowedFields = new Set(['model', 'input', 'dimensions', 'encoding_format', 'user']);

export interface RecordedRequest {
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface InjectedFailure {
  status: 429 | 500 | 503;
  /** Sent as `retry-after`, in seconds. */
  retryAfterSeconds?: number;
  /** Sent as `retry-after-ms`; the openai client prefers it over `retry-after`. */
  retryAfterMilliseconds?: number;
  message?: string;
}

/** Tokens the stand-in bills: a quarter of the UTF-8 bytes, at least one. */
export function standInTokens(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text) / 4));
}

/** The stand-in's vector for a text: seeded by model and text, unit length. */
export function standInVector(model: string, text: string, dimension: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimension; block += 1) {
    const digest = createHash('sha256').update(`${model}\u0000${block}\u0000${text}`).digest();
    for (let offset = 0; offset + 4 <= digest.length && values.length < dimension; offset += 4) {
      values.push(digest.readUInt32LE(offset) / 0xffffffff - 0.5);
    }
  }
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

function fail(response: ServerResponse, status: number, message: string, extra: { type?: string; param?: string | null; code?: string | null; headers?: Record<string, string> } = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...extra.headers });
  response.end(JSON.stringify({ error: { message, type: extra.type ?? 'invalid_request_error', param: extra.param ?? null, code: extra.code ?? null } }));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startEmbeddingsStandIn(options: { apiKey?: string } = {}) {
  const expectedKey = options.apiKey ?? 'test-key';
  const requests: RecordedRequest[] = [];
  const failures: InjectedFailure[] = [];
  const behaviour = { reverseOrder: true, vectorLength: undefined as number | undefined, echoInputInErrors: false };

  function handle(request: IncomingMessage, response: ServerResponse, raw: string): void {
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') return fail(response, 404, `Unknown request URL: ${request.method} ${request.url}.`, { code: 'unknown_url' });
    const authorization = request.headers.authorization;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return fail(response, 400, 'We could not parse the JSON body of your request.');
    }
    requests.push({ authorization, body });
    if (authorization === undefined || !authorization.startsWith('Bearer ')) {
      return fail(response, 401, "You didn't provide an API key.", { code: 'missing_api_key' });
    }
    const key = authorization.slice('Bearer '.length);
    // The real API echoes a masked key; echoing it whole proves the SDK redacts it.
    if (key !== expectedKey) return fail(response, 401, `Incorrect API key provided: ${key}.`, { code: 'invalid_api_key' });
    const failure = failures.shift();
    if (failure !== undefined) {
      const headers: Record<string, string> = {};
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      if (failure.retryAfterMilliseconds !== undefined) headers['retry-after-ms'] = String(failure.retryAfterMilliseconds);
      const type = failure.status === 429 ? 'requests' : 'server_error';
      return fail(response, failure.status, failure.message ?? (failure.status === 429 ? 'Rate limit reached for requests.' : 'The server had an error.'), { type, code: failure.status === 429 ? 'rate_limit_exceeded' : null, headers });
    }
    const unknown = Object.keys(body).find((field) => !allowedFields.has(field));
    if (unknown !== undefined) return fail(response, 400, `Unrecognized request argument supplied: ${unknown}`, { param: unknown });
    const { model, input, dimensions, encoding_format: encodingFormat } = body;
    if (typeof model !== 'string') return fail(response, 400, "'model' is required.", { param: 'model' });
    const native = nativeDimensions[model];
    if (native === undefined) return fail(response, 404, `The model \`${model}\` does not exist or you do not have access to it.`, { code: 'model_not_found' });
    const inputs = typeof input === 'string' ? [input] : input;
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((item) => typeof item === 'string')) {
      return fail(response, 400, "'input' must be a string or a non-empty array of strings.", { param: 'input' });
    }
    if (inputs.length > 2048) return fail(response, 400, `'input' has ${inputs.length} items; at most 2048 are allowed.`, { param: 'input' });
    const emptyAt = inputs.findIndex((item) => item.length === 0);
    if (emptyAt >= 0) return fail(response, 400, `'$.input[${emptyAt}]' is invalid: empty strings are not allowed.`, { param: 'input' });
    const counts = inputs.map(standInTokens);
    const tooLong = counts.findIndex((count) => count > 8192);
    if (tooLong >= 0) {
      const quoted = behaviour.echoInputInErrors ? ` Input: "${inputs[tooLong]}".` : '';
      return fail(response, 400, `This model's maximum context length is 8192 tokens, however you requested ${counts[tooLong]} tokens.${quoted}`, { param: 'input' });
    }
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total > 300_000) return fail(response, 400, `Requested ${total} tokens, max 300000 tokens per request.`, { param: 'input', code: 'max_tokens_per_request' });
    if (dimensions !== undefined) {
      if (!model.startsWith('text-embedding-3')) return fail(response, 400, 'This model does not support specifying dimensions.', { param: 'dimensions' });
      if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > native) {
        return fail(response, 400, `'dimensions' must be an integer from 1 to ${native}.`, { param: 'dimensions' });
      }
    }
    if (encodingFormat !== undefined && encodingFormat !== 'float' && encodingFormat !== 'base64') {
      return fail(response, 400, "'encoding_format' must be 'float' or 'base64'.", { param: 'encoding_format' });
    }
    const length = behaviour.vectorLength ?? (dimensions as number | undefined) ?? native;
    const data = inputs.map((text, index) => {
      const vector = standInVector(model, text, length);
      const embedding = encodingFormat === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    // The API labels each embedding with its input's index; answering out of order checks that callers use it.
    if (behaviour.reverseOrder) data.reverse();
    response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${requests.length}` });
    response.end(JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: total, total_tokens: total } }));
  }

  const server = createServer((request, response) => {
    readBody(request).then((raw) => handle(request, response, raw), () => fail(response, 400, 'Could not read the request body.'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    apiKey: expectedKey,
    requests,
    behaviour,
    /** The next `count` requests (after the key check) answer with this failure. */
    failNext(failure: InjectedFailure, count = 1): void {
      for (let time = 0; time < count; time += 1) failures.push(failure);
    },
    reset(): void {
      requests.length = 0;
      failures.length = 0;
      Object.assign(behaviour, { reverseOrder: true, vectorLength: undefined, echoInputInErrors: false });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // The client keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export type EmbeddingsStandIn = Awaited<ReturnType<typeof startEmbeddingsStandIn>>;
