import { expectTypeOf, test } from 'vitest';
import { createKeyguard } from '@keyguard/core';
import type { Keyguard, KeyguardOptions, RequestGuard } from '@keyguard/core';
import { createKeyguard as createEdgeKeyguard } from '@keyguard/core/edge';
import type { Keyguard as EdgeKeyguard, RequestGuard as EdgeRequestGuard } from '@keyguard/core/edge';

declare const options: KeyguardOptions;

test('createKeyguard builds a RequestGuard, in the Node and the fetch build', () => {
  expectTypeOf(createKeyguard(options)).toEqualTypeOf<RequestGuard>();
  expectTypeOf(createEdgeKeyguard(options)).toEqualTypeOf<EdgeRequestGuard>();
});

test('Keyguard, the name before RequestGuard, is still exported as the same type', () => {
  expectTypeOf<Keyguard>().toEqualTypeOf<RequestGuard>();
  expectTypeOf<EdgeKeyguard>().toEqualTypeOf<RequestGuard>();
  const guard: Keyguard = createKeyguard(options);
  expectTypeOf(guard.authenticate).toEqualTypeOf<RequestGuard['authenticate']>();
  expectTypeOf(guard).toHaveProperty('verifier');
});
