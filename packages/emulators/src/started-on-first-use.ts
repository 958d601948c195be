/**
 * One emulator shared by every backend handle of a test file: started when the first handle
 * asks, stopped once at the end (and startable again after), never started when no test runs.
 */
export function startedOnFirstUse<Emulator extends { stop(): Promise<void> }>(start: () => Promise<Emulator>) {
  let started: Promise<Emulator> | undefined;
  return {
    running: (): Promise<Emulator> => (started ??= start()),
    async stop(): Promise<void> {
      const emulator = started;
      started = undefined;
      await (await emulator)?.stop();
    },
  };
}
