import { expectTypeOf, test } from 'vitest';
import type { APIKeyOnTheWire, SnakeCase } from '@keyguard/clerk';

test('field names are spelled as Clerk sends them', () => {
  expectTypeOf<SnakeCase<'lastUsedAt'>>().toEqualTypeOf<'last_used_at'>();
  expectTypeOf<SnakeCase<'id'>>().toEqualTypeOf<'id'>();
  expectTypeOf<SnakeCase<'revocationReason'>>().toEqualTypeOf<'revocation_reason'>();
});

test("the APIKey object on the wire has exactly the fields of Clerk's Backend API reference", () => {
  expectTypeOf<keyof APIKeyOnTheWire>().toEqualTypeOf<
    | 'object'
    | 'id'
    | 'type'
    | 'subject'
    | 'name'
    | 'description'
    | 'claims'
    | 'scopes'
    | 'revoked'
    | 'revocation_reason'
    | 'expired'
    | 'expiration'
    | 'created_by'
    | 'last_used_at'
    | 'created_at'
    | 'updated_at'
    | 'secret'
  >();
  expectTypeOf<APIKeyOnTheWire['revocation_reason']>().toEqualTypeOf<string | null>();
});
