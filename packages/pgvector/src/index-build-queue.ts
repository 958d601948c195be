/**
 * One index build per table at a time from this backend: two `CREATE INDEX CONCURRENTLY` on one
 * table each wait for the other's transaction to end, and Postgres ends that deadlock by failing
 * one (40P01) — after the write that crossed the threshold had already committed. Builds on
 * different tables still run side by side; another process's builds are not seen here.
 */
export class IndexBuildQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(table: string, build: () => Promise<T>): Promise<T> {
    const started = (this.tails.get(table) ?? Promise.resolve()).then(build);
    const settled = started.catch(() => undefined);
    this.tails.set(table, settled);
    void settled.then(() => {
      if (this.tails.get(table) === settled) this.tails.delete(table);
    });
    return started;
  }
}
