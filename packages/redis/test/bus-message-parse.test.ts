import { describe, expect, it } from 'vitest';
import { formatMessage, kindOf, parseAnswered, parseMessage, preciseNow } from '../src/bus/message.js';

// The bus's text format (src/bus/message.ts): what Redis prefixes (`<seq> <bus> <redisAt> `) and what the publisher
// writes (`<origin> <publishedAt> <kind> <target>`). Anyone who can publish on the channel can send anything: a line
// that is not exactly a message is ignored, never taken for an invalidation of something else.
const head = '7 bus1 1700000000123';

describe('kindOf and formatMessage', () => {
  it('names a digest d, a key id k, everything a', () => {
    expect(kindOf({ digest: 'dg' })).toBe('d');
    expect(kindOf({ keyId: 'key_1' })).toBe('k');
    expect(kindOf({ all: true })).toBe('a');
  });

  it('writes origin, time, kind and target, the target empty for everything', () => {
    expect(formatMessage('o1', 12.5, { digest: 'dg' })).toBe('o1 12.5 d dg');
    expect(formatMessage('o1', 12, { keyId: 'key 1' })).toBe('o1 12 k key 1');
    expect(formatMessage('o1', 12, { all: true })).toBe('o1 12 a ');
  });

  it('reads back what it writes, once Redis put its number, bus and time in front', () => {
    for (const invalidation of [{ digest: 'dg' }, { keyId: 'key with spaces' }, { all: true as const }]) {
      const message = parseMessage(`${head} ${formatMessage('origin', 42.25, invalidation)}`);
      expect(message).toEqual({
        seq: 7,
        bus: 'bus1',
        redisAt: 1700000000123,
        origin: 'origin',
        publishedAt: 42.25,
        invalidation,
      });
    }
  });

  it('preciseNow is unix ms', () => {
    const before = Date.now();
    const now = preciseNow();
    // performance's origin and Date may disagree by a little; a second is far more than they ever do.
    expect(Math.abs(now - before)).toBeLessThan(1_000);
  });
});

describe('parseMessage refuses what is not a message', () => {
  it.each([
    ['empty', ''],
    ['too few fields', '7 bus1 1 origin 5'],
    ['no space after the kind', '7 bus1 1 origin 5 a'],
    ['a last field where the kind and its space should be', '7 bus1 1 origin 5 ax'],
    ['a number that is not one', 'x bus1 1 origin 5 a '],
    ['a fractional number', '7.5 bus1 1 origin 5 a '],
    ['an unsafe number', '9007199254740993 bus1 1 origin 5 a '],
    ['a Redis time that is not a whole number', '7 bus1 1.5 origin 5 a '],
    ['a Redis time that is text', '7 bus1 t origin 5 a '],
    ['a publish time that is text', '7 bus1 1 origin t a '],
    ['a publish time that is Infinity', '7 bus1 1 origin Infinity a '],
    ['an empty bus', '7  1 origin 5 a '],
    ['an empty origin', '7 bus1 1  5 a '],
    ['a digest without target', '7 bus1 1 origin 5 d '],
    ['a key id without target', '7 bus1 1 origin 5 k '],
    ['an unknown kind', '7 bus1 1 origin 5 x target'],
    ['a kind of two letters', '7 bus1 1 origin 5 dd target'],
  ])('%s', (_name, text) => {
    expect(parseMessage(text)).toBeUndefined();
  });

  it('takes the rest of the line as the target, spaces included, and "everything" ignores a target', () => {
    expect(parseMessage('1 b 2 o 3 k a b c')?.invalidation).toEqual({ keyId: 'a b c' });
    expect(parseMessage('1 b 2 o 3 d x y')?.invalidation).toEqual({ digest: 'x y' });
    expect(parseMessage('1 b 2 o 3 a ignored')?.invalidation).toEqual({ all: true });
  });

  it('reads numbers as Number() does: 0, and a publish time with a fraction', () => {
    expect(parseMessage('0 b 0 o 0.125 a ')).toMatchObject({ seq: 0, redisAt: 0, publishedAt: 0.125 });
  });

  it('does not take an answered message for an invalidation, nor the other way round', () => {
    expect(parseMessage('w somename')).toBeUndefined();
    expect(parseAnswered(`${head} o 1 a `)).toBeUndefined();
  });
});

describe('parseAnswered', () => {
  it('is the name after "w "', () => {
    expect(parseAnswered('w name-1')).toBe('name-1');
    expect(parseAnswered('w a b')).toBe('a b');
  });

  it('is undefined without a name or without the exact prefix', () => {
    for (const text of ['w ', 'w', '', 'wname', 'W name', ' w name', 'x name'])
      expect(parseAnswered(text)).toBeUndefined();
  });
});
