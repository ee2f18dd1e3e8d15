/** One armed wake-up: `wait` until the name is answered or `ms` pass; `disarm` when no longer waiting. */
export interface Wakeup {
  wait(ms: number): Promise<void>;
  disarm(): void;
}

/**
 * Instances waiting for another one's answer, woken by the bus's "answered <name>" (published by the WRITE script)
 * instead of polling Redis on a timer. A wake-up is armed before the read it follows: a message arriving while that
 * read is on its way wakes the wait that comes after it, at once.
 */
export class Wakeups {
  private readonly waiting = new Map<string, Set<() => void>>();

  arm(name: string): Wakeup {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    let wakers = this.waiting.get(name);
    if (!wakers) this.waiting.set(name, (wakers = new Set()));
    const armed = wakers;
    armed.add(wake);
    const disarm = () => {
      armed.delete(wake);
      if (armed.size === 0 && this.waiting.get(name) === armed) this.waiting.delete(name);
    };
    return {
      async wait(ms: number) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([woken, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
        clearTimeout(timer);
      },
      disarm,
    };
  }

  answered(name: string): void {
    const wakers = this.waiting.get(name);
    if (!wakers) return;
    this.waiting.delete(name);
    for (const wake of wakers) wake();
  }
}
