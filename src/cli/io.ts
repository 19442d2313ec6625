/**
 * What a CLI command may touch of its process: its output streams, its environment (handed to
 * loadConfig, never read here), its standard input and the shutdown signals. Tests pass their own.
 */
import type { Env } from '../config/config.js';

export interface CliIo {
  readonly env: Env;
  /** One line on standard output. */
  out(line: string): void;
  /** One line on standard error. */
  err(line: string): void;
  /** Raw text on standard error (the progress bar redraws its line). */
  errRaw(text: string): void;
  /** True when standard error is a terminal (the progress bar redraws in place). */
  readonly errIsTerminal: boolean;
  readonly stdin: NodeJS.ReadableStream;
  /** Resolves at the first SIGINT or SIGTERM. */
  untilShutdown(): Promise<void>;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    errRaw: (text) => void process.stderr.write(text),
    errIsTerminal: process.stderr.isTTY === true,
    stdin: process.stdin,
    untilShutdown: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}
