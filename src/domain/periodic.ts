/**
 * A background job of a long-lived process: `task` every `everyMs`, one run at a time (a run still
 * going when the next is due is not doubled), failures to `onError` (the next run retries), never
 * keeping the process alive. Returns the function that stops it.
 */
export function repeatEvery(
  task: () => Promise<unknown>,
  everyMs: number,
  onError: (error: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
