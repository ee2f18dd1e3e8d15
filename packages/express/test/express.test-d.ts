import type { Request } from 'express';
import { expectTypeOf, test } from 'vitest';
import type { VerifiedKey } from '@keyguard/core';
import type { KeyguardMiddleware } from '@keyguard/express';

test('req.apiKey is typed through declaration merging', () => {
  expectTypeOf<Request['apiKey']>().toEqualTypeOf<VerifiedKey | undefined>();
  expectTypeOf<KeyguardMiddleware['requirePermissions']>().returns.toBeFunction();
});
