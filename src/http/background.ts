/**
 * Work that must not delay an answer (the one-time code of a sign-in from a new device: the answer to
 * a wrong password, which sends nothing, must take as long). Tasks start after the current turn of
 * the event loop, by which time the answer is written; their errors are logged by code only (a
 * message could quote an address); `flush()` waits for them (closing the app, tests).
 */
import type { FastifyBaseLogger } from 'fastify';

export interface Background {
  run(task: () => Promise<void>): void;
  flush(): Promise<void>;
}

export function createBackground(log: FastifyBaseLogger): Background {
  const running = new Set<Promise<void>>();
  return {
    run(task) {
      const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .catch((e: unknown) =>
          log.warn(
            { code: (e as { code?: string }).code ?? (e instanceof Error ? e.name : 'unknown') },
            'background task failed',
          ),
        )
        .finally(() => running.delete(done));
      running.add(done);
    },
    async flush() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
