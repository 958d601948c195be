export interface EmptyWhenMissingParams<T, Empty> {
  run: () => Promise<T>;
  /** The backend's reading of a failure: the collection or partition is not there. */
  isMissing: (error: unknown) => boolean;
  /** What a read of nothing answers: `[]`, `0`, `undefined`. */
  empty: Empty;
}

/**
 * Runs a read (or an idempotent removal) for which a missing collection or partition means
 * "nothing there": the contract has reads of storage never created answer empty, and removals
 * of it succeed. Every other failure is thrown as it was.
 */
export async function emptyWhenMissing<T, Empty>(params: EmptyWhenMissingParams<T, Empty>): Promise<T | Empty> {
  try {
    return await params.run();
  } catch (error) {
    if (params.isMissing(error)) return params.empty;
    throw error;
  }
}
