import { expectTypeOf, test } from 'vitest';
import type { ApiKeyFor, KeyguardOptions, KeyKind, Verifier, VerifiedKey } from '@keyguard/core';

declare const verifier: Verifier;

test('accepts narrows apiKey.kind on a route, and leaves VerifiedKey alone without it', () => {
  expectTypeOf<ApiKeyFor<{ verifier: Verifier; accepts: readonly ['m2m_token'] }>>().toEqualTypeOf<
    VerifiedKey & { kind: 'm2m_token' }
  >();
  expectTypeOf<ApiKeyFor<{ verifier: Verifier; accepts: ('api_key' | 'm2m_token')[] }>>().toEqualTypeOf<
    VerifiedKey & { kind: 'api_key' | 'm2m_token' }
  >();
  expectTypeOf<ApiKeyFor<{ verifier: Verifier }>>().toEqualTypeOf<VerifiedKey>();
  expectTypeOf<ApiKeyFor<{ verifier: Verifier; accepts: string[] }>>().toEqualTypeOf<VerifiedKey>();
});

test('an optional route keeps the narrowed kind, or undefined', () => {
  expectTypeOf<ApiKeyFor<{ verifier: Verifier; optional: true; accepts: ['oauth_token'] }>>().toEqualTypeOf<
    (VerifiedKey & { kind: 'oauth_token' }) | undefined
  >();
});

test('KeyKind takes Clerk kinds and a provider’s own', () => {
  expectTypeOf<'m2m_token'>().toMatchTypeOf<KeyKind>();
  expectTypeOf<'custom_kind'>().toMatchTypeOf<KeyKind>();
  expectTypeOf(verifier).toHaveProperty('maxKeyLength');
});

/** The signature of an adapter's `keyguard()` (Hono's, Next's `withApiKey`): the key type follows from the options. */
declare function route<O extends KeyguardOptions>(options: O): ApiKeyFor<O>;

test('an adapter call infers the kinds from an inline accepts', () => {
  expectTypeOf(route({ verifier, accepts: ['m2m_token'] }).kind).toEqualTypeOf<'m2m_token'>();
  expectTypeOf(route({ verifier, accepts: ['api_key', 'oauth_token'] }).kind).toEqualTypeOf<
    'api_key' | 'oauth_token'
  >();
  expectTypeOf(route({ verifier }).kind).toEqualTypeOf<VerifiedKey['kind']>();
});
