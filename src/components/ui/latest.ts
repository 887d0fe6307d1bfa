/**
 * Coalesce bursts of requests (keystrokes) so only the latest is computed next: while one run
 * is in flight, newer inputs overwrite each other; when it finishes, the newest one runs.
 * The figure never draws a stale result after a newer one.
 */
export function latestOnly<T>(run: (input: T) => Promise<void>): (input: T) => void {
  let busy = false;
  let pending: { input: T } | undefined;
  const pump = async (): Promise<void> => {
    busy = true;
    try {
      while (pending) {
        const { input } = pending;
        pending = undefined;
        try {
          await run(input);
        } catch (e) {
          // `run` reports its own failures in the figure; never leave a rejection unhandled.
          console.warn(e);
        }
      }
    } finally {
      busy = false;
    }
  };
  return (input) => {
    pending = { input };
    if (!busy) void pump();
  };
}
