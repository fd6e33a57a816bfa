/**
 * A concurrency limit that halves on a throttle and grows back by one after as many successes as the
 * current limit (additive increase, multiplicative decrease), never above its ceiling nor below one.
 */
export class AdaptiveLimit {
  private limit: number;
  private active = 0;
  private successes = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly ceiling: number) {
    this.limit = Math.max(1, ceiling);
  }

  get current(): number {
    return this.limit;
  }

  /** A slot; `first` puts the caller at the head of the line (a change feed's request). */
  acquire(first = false): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.active++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active--;
          this.next();
        });
      };
      if (first) this.waiting.unshift(grant);
      else this.waiting.push(grant);
      this.next();
    });
  }

  decrease(): void {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
  }

  increase(): void {
    if (this.limit >= this.ceiling) return;
    this.successes++;
    if (this.successes >= this.limit) {
      this.limit++;
      this.successes = 0;
      this.next();
    }
  }

  private next(): void {
    while (this.active < this.limit && this.waiting.length > 0) this.waiting.shift()?.();
  }
}
