import { createParamDecorator } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import { KeyguardError } from '@keyguard/core';
import type { VerifiedKey } from '@keyguard/core';
import { ADMITTED_BY } from './guard/keyguard-request.js';
import type { KeyguardRequest } from './guard/keyguard-request.js';

/** `@ApiKey()` on a route `ApiKeyGuard` did not run on (no guard applied, or a `@SkipApiKey()` route). */
export class ApiKeyGuardMissingError extends KeyguardError {
  static override readonly brand: string = 'keyguard.nestjs.ApiKeyGuardMissingError';

  constructor() {
    super(
      'API_KEY_GUARD_MISSING',
      '@ApiKey() is used on a route ApiKeyGuard does not protect: apply it (APP_GUARD or @UseGuards(ApiKeyGuard)), or drop @SkipApiKey()',
    );
  }
}

const apiKeyParameter = createParamDecorator((_data: unknown, context: ExecutionContext): VerifiedKey | undefined => {
  const request = context.switchToHttp().getRequest<KeyguardRequest>();
  // Fail closed: a handler that expects a verified key never runs believing it has one when no guard checked it.
  if (request[ADMITTED_BY] === undefined) throw new ApiKeyGuardMissingError();
  return request.apiKey;
});

/**
 * The verified key of the request, as core's typed `VerifiedKey`: declare the parameter `VerifiedKey` on routes
 * that require a key, `VerifiedKey | undefined` on `@OptionalApiKey()` routes (and with `onProviderError:
 * 'fail-open'`, which lets requests through without a key while the key service is down).
 */
export function ApiKey(): ParameterDecorator {
  return apiKeyParameter();
}
