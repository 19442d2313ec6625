/**
 * A bounded queue in front of password verifications, so that argon2 cannot become a denial of
 * service lever: at most `concurrency` verifications run at once (one per core is what argon2id at
 * 19 MiB × 2 passes can use), at most `queueLimit` wait. Waiters are ranked:
 *   0  a browser that already signed in to this account (trusted device cookie),
 *   1  an address and network without recent failures,
 *   2  an address or network with recent failures (failed-looking traffic).
 * A waiter's rank is re-read when the queue decides (a flood from fresh addresses turns
 * failed-looking as its first attempts fail), and the best rank is served first, oldest first.
 * Failed-looking traffic never holds every slot: it may run on `concurrency - 1` of them at most (1
 * when there is a single slot), and, when it comes as a flood (over 10 a second), not at all while
 * legitimate-looking sign-ins are being verified (one started in the last second): argon2 time then
 * goes to legitimate sign-ins first and the flood's guesses are mostly answered 429 untried. A lone
 * user's typos are no flood and wait for nothing.
 * Failed-looking arrivals beyond a quarter of the queue are answered at once. When the queue is full, the newest waiter of the worst rank below the newcomer's is shed (it gets
 * AUTH.TOO_MANY_ATTEMPTS); a newcomer that outranks no one is shed itself. Each rank also has a
 * longest wait, shortest for failed-looking traffic, so a flood is answered quickly rather than late.
 */
export type Priority = 0 | 1 | 2;

const PRESSURE_MS = 1_000;
/** Failed-looking arrivals per second (decayed) beyond which they are a flood. */
const FLOOD_PER_SECOND = 10;

interface Waiter {
  readonly rank: () => Priority;
  readonly arrival: Priority;
  readonly resolve: (started: Priority) => void;
  readonly reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

export interface QueueOptions {
  readonly concurrency: number;
  readonly queueLimit: number;
  /** Longest wait per rank (as ranked on arrival), ms. */
  readonly maxWaitMs: readonly [number, number, number];
  /** The error a shed waiter receives. */
  readonly busy: () => Error;
}

export interface QueueStats {
  readonly running: number;
  readonly waiting: number;
  readonly shed: number;
  /** Arrivals by rank on arrival, and how many of each were shed. */
  readonly arrivals: readonly [number, number, number];
  readonly shedByRank: readonly [number, number, number];
}

export class VerificationQueue {
  private running = 0;
  private runningSuspect = 0;
  private lastTrustedStart = Number.NEGATIVE_INFINITY;
  private pumpTimer: NodeJS.Timeout | undefined;
  private suspects = 0;
  private suspectsAt = 0;
  private shed = 0;
  private readonly arrivals: [number, number, number] = [0, 0, 0];
  private readonly shedByRank: [number, number, number] = [0, 0, 0];
  private readonly waiting: Waiter[] = [];

  constructor(private readonly options: QueueOptions) {}

  /**
   * Runs `task` when a slot is free and this caller's turn has come; throws `busy()` if shed.
   * `rank` is a number or a function re-evaluated while the caller waits.
   */
  async run<T>(rank: Priority | (() => Priority), task: () => Promise<T>): Promise<T> {
    const started = await this.acquire(typeof rank === 'number' ? () => rank : rank);
    try {
      return await task();
    } finally {
      this.release(started);
    }
  }

  get stats(): QueueStats {
    return {
      running: this.running,
      waiting: this.waiting.length,
      shed: this.shed,
      arrivals: [...this.arrivals],
      shedByRank: [...this.shedByRank],
    };
  }

  /** Failed-looking traffic may fill a quarter of the queue: the rest of a flood is answered at once, without a timer. */
  private get suspectQueueLimit(): number {
    return Math.max(1, Math.floor(this.options.queueLimit / 4));
  }

  private get suspectCap(): number {
    return Math.max(1, this.options.concurrency - 1);
  }

  /** A flood of failed-looking arrivals while legitimate-looking verifications started less than a second ago: the flood waits. */
  private underPressure(): boolean {
    const now = performance.now();
    return now - this.lastTrustedStart < PRESSURE_MS && this.suspectRate(now) > FLOOD_PER_SECOND;
  }

  /** Failed-looking arrivals in about the last second (exponentially decayed). */
  private suspectRate(now: number): number {
    return this.suspects * Math.exp(-(now - this.suspectsAt) / 1000);
  }

  private noteSuspect(): void {
    const now = performance.now();
    this.suspects = this.suspectRate(now) + 1;
    this.suspectsAt = now;
  }

  private canStart(rank: Priority): boolean {
    if (this.running >= this.options.concurrency) return false;
    return rank < 2 || (this.runningSuspect < this.suspectCap && !this.underPressure());
  }

  /** A waiter that may start now and ranks at least as well as `rank` goes first. */
  private outranks(w: Waiter, rank: Priority): boolean {
    const r = w.rank();
    return r <= rank && this.canStart(r);
  }

  private start(rank: Priority): Priority {
    this.running += 1;
    if (rank < 2) this.lastTrustedStart = performance.now();
    if (rank === 2) this.runningSuspect += 1;
    return rank;
  }

  private acquire(rank: () => Priority): Promise<Priority> {
    const arrival = rank();
    this.arrivals[arrival] += 1;
    if (arrival === 2) this.noteSuspect();
    if (this.canStart(arrival) && !this.waiting.some((w) => this.outranks(w, arrival)))
      return Promise.resolve(this.start(arrival));
    const suspectsWaiting = arrival === 2 ? this.waiting.filter((w) => w.arrival === 2).length : 0;
    if (
      suspectsWaiting >= this.suspectQueueLimit ||
      (this.waiting.length >= this.options.queueLimit && !this.shedWorseThan(arrival))
    ) {
      this.count(arrival);
      return Promise.reject(this.options.busy());
    }
    return new Promise<Priority>((resolve, reject) => {
      const waiter: Waiter = { rank, arrival, resolve, reject };
      waiter.timer = setTimeout(() => this.expire(waiter), this.options.maxWaitMs[arrival]);
      this.waiting.push(waiter);
    });
  }

  private count(arrival: Priority): void {
    this.shed += 1;
    this.shedByRank[arrival] += 1;
  }

  private drop(waiter: Waiter): void {
    const at = this.waiting.indexOf(waiter);
    if (at >= 0) this.waiting.splice(at, 1);
    clearTimeout(waiter.timer);
  }

  private expire(waiter: Waiter): void {
    if (!this.waiting.includes(waiter)) return;
    this.drop(waiter);
    this.count(waiter.arrival);
    waiter.reject(this.options.busy());
  }

  /** Sheds the newest waiter of the worst current rank, if worse than `rank`; false if there is none. */
  private shedWorseThan(rank: Priority): boolean {
    let victim: Waiter | undefined;
    let worst: Priority = rank;
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const w = this.waiting[i] as Waiter;
      const r = w.rank();
      if (r > worst) {
        worst = r;
        victim = w;
      }
    }
    if (!victim) return false;
    this.drop(victim);
    this.count(victim.arrival);
    victim.reject(this.options.busy());
    return true;
  }

  /** Frees the slot, then starts waiters. */
  private release(started: Priority): void {
    this.running -= 1;
    if (started === 2) this.runningSuspect -= 1;
    this.pump();
  }

  /** Starts the oldest waiter of the best current rank that may start, while one may; else waits for the pressure to end. */
  private pump(): void {
    while (this.startNext());
    const idle = this.running < this.options.concurrency && this.waiting.length > 0;
    if (idle && this.pumpTimer === undefined && this.underPressure()) {
      this.pumpTimer = setTimeout(
        () => {
          this.pumpTimer = undefined;
          this.pump();
        },
        Math.max(1, this.lastTrustedStart + PRESSURE_MS - performance.now()),
      );
      this.pumpTimer.unref();
    }
  }

  private startNext(): boolean {
    let next: Waiter | undefined;
    let best: Priority = 2;
    for (const w of this.waiting) {
      const r = w.rank();
      if ((next === undefined || r < best) && this.canStart(r)) {
        best = r;
        next = w;
        if (r === 0) break;
      }
    }
    if (!next) return false;
    this.drop(next);
    next.resolve(this.start(best));
    return true;
  }
}
