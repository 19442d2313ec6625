import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.js';
import { ProgressBar } from './progress-bar.js';

const io = (terminal: boolean) => {
  const lines: string[] = [];
  const raw: string[] = [];
  const cli: CliIo = {
    env: {},
    out: () => undefined,
    err: (line) => void lines.push(line),
    errRaw: (text) => void raw.push(text),
    errIsTerminal: terminal,
    stdin: process.stdin,
    untilShutdown: () => Promise.resolve(),
  };
  return { cli, lines, raw };
};

describe('ProgressBar', () => {
  it('prints one line per tenth when standard error is not a terminal', () => {
    const { cli, lines } = io(false);
    const bar = new ProgressBar(cli, 'Population');
    for (let done = 0; done <= 1_000; done += 50) bar.update(done, 1_000);
    expect(lines).toHaveLength(11);
    expect(lines[10]).toMatch(/^Population \[█{28}\] 100 % 1\s000 \/ 1\s000 · [\d\s]+\/s$/);
  });

  it('redraws one line in place on a terminal and ends it on finish', () => {
    const { cli, raw } = io(true);
    const bar = new ProgressBar(cli, 'Index');
    bar.update(0, 4);
    bar.update(4, 4);
    bar.finish();
    expect(raw[0]).toMatch(/^\rIndex \[░{28}\] {3}0 % 0 \/ 4/);
    expect(raw.at(-2)).toMatch(/^\rIndex \[█{28}\] 100 % 4 \/ 4/);
    expect(raw.at(-1)).toBe('\n');
  });
});
