import type { Invalidation } from '@keyguard/core/service';

/**
 * One invalidation on the bus: `<seq> <bus> <redisAt> <origin> <publishedAt> <kind> <target>`. `seq` is numbered by
 * Redis (a gap means a message was missed) within the bus `bus` (a new one after Redis lost its data), `redisAt` is
 * Redis's clock when it happened (ms), `origin` names the publishing fleet object (it skips its own), `kind` is `d` (a
 * key's digest, SHA-256: never the key), `k` (a key id, the rest of the line) or `a` (everything).
 */
export interface BusMessage {
  seq: number;
  bus: string;
  redisAt: number;
  origin: string;
  publishedAt: number;
  invalidation: Invalidation;
}

export type BusKind = 'd' | 'k' | 'a';

/** Unix ms with a fraction: the bus's lag is often under a millisecond. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

export function kindOf(invalidation: Invalidation): BusKind {
  if (invalidation.digest !== undefined) return 'd';
  return invalidation.keyId !== undefined ? 'k' : 'a';
}

/** The part of a message the publisher writes; Redis puts the number, the bus id and its time in front. */
export function formatMessage(origin: string, publishedAt: number, invalidation: Invalidation): string {
  const kind = kindOf(invalidation);
  const target = invalidation.digest ?? invalidation.keyId ?? '';
  return `${origin} ${publishedAt} ${kind} ${target}`;
}

/** "An answer for this name was written (or its lock released)": `w <name>`, published by the WRITE script. */
const ANSWERED = 'w ';

/** The name of an answered message, or undefined for any other text. */
export function parseAnswered(text: string): string | undefined {
  return text.startsWith(ANSWERED) && text.length > ANSWERED.length ? text.slice(ANSWERED.length) : undefined;
}

/** The message, or undefined for anything else on the channel. */
export function parseMessage(text: string): BusMessage | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let field = 0; field < 6; field++) {
    const space = text.indexOf(' ', start);
    if (space < 0) return undefined;
    parts.push(text.slice(start, space));
    start = space + 1;
  }
  const [seqText, bus, redisText, origin, publishedText, kind] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const target = text.slice(start);
  const seq = Number(seqText);
  const redisAt = Number(redisText);
  const publishedAt = Number(publishedText);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(redisAt) || !Number.isFinite(publishedAt)) return undefined;
  if (origin === '' || bus === '') return undefined;
  const head = { seq, bus, redisAt, origin, publishedAt };
  if (kind === 'a') return { ...head, invalidation: { all: true } };
  if (target === '') return undefined;
  if (kind === 'd') return { ...head, invalidation: { digest: target } };
  if (kind === 'k') return { ...head, invalidation: { keyId: target } };
  return undefined;
}
