import { describe, expect, it } from 'vitest';
import { ConfigurationError, KeyguardError, ProviderError } from '../src/errors.js';
import { TransportError } from '../src/runtime/transport-error.js';
import type * as Errors from '../src/errors.js';

// A second copy of the same modules, as an app that `require`s one keyguard package and `import`s another holds
// (core's CommonJS and ESM builds): the query makes the module runner load them again, with classes of their own.
const secondCopy = '../src/errors.js?second-copy';
const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof Errors;

describe('error classes across copies of keyguard', () => {
  it('are two different classes, yet each recognises the other copy’s errors as its own', () => {
    expect(copy.ProviderError).not.toBe(ProviderError);
    const theirs = new copy.ProviderError('PROVIDER_TIMEOUT', 'no answer', { provider: 'unkey' });
    const ours = new ProviderError('PROVIDER_TIMEOUT', 'no answer', { provider: 'unkey' });
    expect(theirs).toBeInstanceOf(ProviderError);
    expect(theirs).toBeInstanceOf(KeyguardError);
    expect(ours).toBeInstanceOf(copy.ProviderError);
    expect(ours).toBeInstanceOf(copy.KeyguardError);
    expect(new copy.ConfigurationError('bad')).toBeInstanceOf(ConfigurationError);
  });

  it('does not mistake one class for another', () => {
    const theirs = new copy.ConfigurationError('bad');
    expect(theirs).not.toBeInstanceOf(ProviderError);
    expect(new copy.KeyguardError('X', 'x')).not.toBeInstanceOf(ConfigurationError);
    expect(new TransportError('TRANSPORT_TIMEOUT', 'late', true)).not.toBeInstanceOf(copy.ProviderError);
    for (const value of [
      undefined,
      null,
      'PROVIDER_TIMEOUT',
      42,
      { code: 'PROVIDER_TIMEOUT', provider: 'unkey' },
      new Error('plain'),
    ]) {
      expect(value).not.toBeInstanceOf(ProviderError);
      expect(value).not.toBeInstanceOf(KeyguardError);
    }
  });

  it("lets an app's own subclass, which declares no brand, be matched by its prototype alone", () => {
    class StoreDown extends ProviderError {}
    const down = new StoreDown('PROVIDER_SERVER_ERROR', 'the store is down', { provider: 'store' });
    expect(down).toBeInstanceOf(StoreDown);
    expect(down).toBeInstanceOf(ProviderError);
    expect(down).toBeInstanceOf(copy.ProviderError);
    // Inheriting ProviderError's brand would make every provider error a StoreDown.
    expect(new ProviderError('PROVIDER_SERVER_ERROR', 'down', { provider: 'store' })).not.toBeInstanceOf(StoreDown);
    expect(new copy.ProviderError('PROVIDER_SERVER_ERROR', 'down', { provider: 'store' })).not.toBeInstanceOf(
      StoreDown,
    );
  });

  it('keeps name and code as they were', () => {
    const error = new ProviderError('PROVIDER_TIMEOUT', 'no answer', { provider: 'unkey' });
    expect(error.name).toBe('ProviderError');
    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(new TransportError('TRANSPORT_CONNECTION_FAILED', 'refused', false).name).toBe('TransportError');
    expect(Object.keys(error)).not.toContain('brand');
  });
});
