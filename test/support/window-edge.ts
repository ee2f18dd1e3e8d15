/**
 * A fixed window ends on the clock (a 10 s window at every multiple of 10 s since the epoch), so requests a test
 * expects to count in one window can straddle two on a slow machine and the last one is admitted. A test that sends
 * them calls this first: when the window's end is nearer than `marginMs`, it waits for the next window to begin.
 * It never waits longer than the margin (3 s at most by default, under the tests' 20 s timeout).
 */
export async function awayFromWindowEdge(windowMs: number, marginMs = Math.min(3_000, windowMs / 4)): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 10));
}
