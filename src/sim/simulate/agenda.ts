/**
 * The simulated time line: tasks ordered by instant (then by insertion, so that a run is
 * deterministic), executed one at a time with the manual clock set to each task's instant.
 */
export interface Task {
  readonly at: number;
  readonly run: () => Promise<void>;
}

interface Entry extends Task {
  readonly seq: number;
}

const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

export class Agenda {
  readonly #heap: Entry[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  add(at: number, run: () => Promise<void>): void {
    const heap = this.#heap;
    heap.push({ at, run, seq: this.#seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Entry, heap[parent] as Entry)) break;
      [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
      i = parent;
    }
  }

  /** The earliest task, removed; undefined when none is left. */
  take(): Task | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    this.#sink(0);
    return top;
  }

  #sink(start: number): void {
    const heap = this.#heap;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l] as Entry, heap[m] as Entry)) m = l;
      if (r < heap.length && before(heap[r] as Entry, heap[m] as Entry)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as Entry, heap[i] as Entry];
      i = m;
    }
  }

  /** Runs every task before `until`, setting the clock to each task's instant. */
  async runUntil(until: number, setClock: (t: number) => void, onTask?: (t: number) => void): Promise<void> {
    for (let task = this.take(); task !== undefined; task = this.take()) {
      if (task.at >= until) return;
      setClock(task.at);
      await task.run();
      onTask?.(task.at);
    }
  }
}
