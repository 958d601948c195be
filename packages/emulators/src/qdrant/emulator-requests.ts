import { expect } from 'vitest';

/** One answer of the emulator: its status and parsed body, checked field by field by each test. */
export interface EmulatorAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field by each test
  body: { result?: any; status: any; time: number };
}

/**
 * Raw HTTP against a running emulator, for tests that check its wire behaviour rather than the
 * client's. A string body is sent as it is, so a test can send JSON that does not parse.
 */
export function emulatorRequests(url: () => string) {
  async function call(method: string, path: string, body?: unknown): Promise<EmulatorAnswer> {
    const response = await fetch(`${url()}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as EmulatorAnswer['body'] };
  }
  /** The result of a call that must succeed. */
  async function ok(method: string, path: string, body?: unknown) {
    const answer = await call(method, path, body);
    expect(answer, `${method} ${path}`).toMatchObject({ status: 200, body: { status: 'ok' } });
    return answer.body.result;
  }
  return { call, ok };
}
