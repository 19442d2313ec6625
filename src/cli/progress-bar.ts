/**
 * A small progress bar on standard error: redrawn in place on a terminal (at most ten times a
 * second), one line per tenth otherwise (logs, CI).
 */
import type { CliIo } from './io.js';

const WIDTH = 28;
const REDRAW_MS = 100;
const number = new Intl.NumberFormat('fr-FR');

const duration = (seconds: number): string =>
  seconds >= 60
    ? `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`
    : `${Math.round(seconds)} s`;

export class ProgressBar {
  #started = Number.NaN; // the first update starts the clock…
  #startDone = 0; // …and the rate counts from what was done then
  #drawnAt = 0;
  #tenth = -1;
  #open = false;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
  ) {}

  update(done: number, total: number): void {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const now = performance.now();
    if (Number.isNaN(this.#started)) [this.#started, this.#startDone] = [now, done];
    if (this.io.errIsTerminal) {
      if (now - this.#drawnAt < REDRAW_MS && done < total) return;
      this.#drawnAt = now;
      this.#open = true;
      this.io.errRaw(`\r${this.#line(done, total, ratio, now)}\u001b[K`);
    } else if (Math.floor(ratio * 10) > this.#tenth) {
      this.#tenth = Math.floor(ratio * 10);
      this.io.err(this.#line(done, total, ratio, now));
    }
  }

  /** Ends the bar's line; the next output starts on a fresh line. */
  finish(): void {
    if (this.#open) this.io.errRaw('\n');
    this.#open = false;
  }

  #line(done: number, total: number, ratio: number, now: number): string {
    const filled = Math.round(ratio * WIDTH);
    const seconds = (now - this.#started) / 1000;
    const rate = seconds > 0 ? (done - this.#startDone) / seconds : 0;
    const left = rate > 0 && done < total ? ` · reste ${duration((total - done) / rate)}` : '';
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    return `${this.label} [${bar}] ${String(Math.floor(ratio * 100)).padStart(3)} % ${number.format(done)} / ${number.format(total)} · ${number.format(Math.round(rate))}/s${left}`;
  }
}
