import { expectTypeOf, test } from 'vitest';
import type { KeyKind } from '@keyguard/core';
import { AcceptTokenKinds } from '@keyguard/nestjs';
import type { RouteDecorator } from '@keyguard/nestjs';

test('@AcceptTokenKinds takes one kind or more and decorates controllers and routes', () => {
  expectTypeOf(AcceptTokenKinds).parameter(0).toEqualTypeOf<KeyKind>();
  expectTypeOf(AcceptTokenKinds('m2m_token', 'oauth_token')).toEqualTypeOf<RouteDecorator>();
  const kinds = ['api_key'] as const;
  expectTypeOf(AcceptTokenKinds(...kinds)).toEqualTypeOf<RouteDecorator>();
  // @ts-expect-error at least one kind
  AcceptTokenKinds();
  // @ts-expect-error kinds are given one by one, not as a list
  AcceptTokenKinds(['m2m_token']);
});
