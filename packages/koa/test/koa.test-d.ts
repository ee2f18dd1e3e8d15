import Router from '@koa/router';
import type { DefaultState, ParameterizedContext } from 'koa';
import { expectTypeOf, test } from 'vitest';
import type { VerifiedKey } from '@keyguard/core';
import type { KeyguardMiddleware, KeyguardState } from '@keyguard/koa';

declare const auth: KeyguardMiddleware;

test('ctx.state.apiKey is typed through KeyguardState and through Koa DefaultState', () => {
  expectTypeOf<KeyguardState['apiKey']>().toEqualTypeOf<VerifiedKey | undefined>();
  expectTypeOf<DefaultState['apiKey']>().toEqualTypeOf<VerifiedKey | undefined>();
  expectTypeOf<ParameterizedContext['state']['apiKey']>().toEqualTypeOf<VerifiedKey | undefined>();
  new Router<KeyguardState>().get('/me', auth, auth.requirePermissions('docs.read'), (ctx) => {
    expectTypeOf(ctx.state.apiKey).toEqualTypeOf<VerifiedKey | undefined>();
  });
});
