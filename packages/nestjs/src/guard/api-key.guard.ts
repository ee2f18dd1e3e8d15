import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { KeyguardError } from '@keyguard/core';
import type { AuthenticationOutcome, DenialResponse, RequestGuard } from '@keyguard/core';
import { ApiKeyDenied } from '../denial/api-key-denied.js';
import { mergedHeaders, setHeaders } from '../denial/write-headers.js';
import { KEYGUARD } from '../module/tokens.js';
import { RoutePolicies } from '../routes/route-policy.js';
import type { RoutePolicy } from '../routes/route-policy.js';
import { ADMITTED_BY } from './keyguard-request.js';
import type { KeyguardRequest } from './keyguard-request.js';

/**
 * Verifies the request's API key with the module's keyguard and sets `request.apiKey` (read it with `@ApiKey()`).
 * Use it globally (`{ provide: APP_GUARD, useClass: ApiKeyGuard }`), per controller or per route
 * (`@UseGuards(ApiKeyGuard)`); `@RequirePermissions`, `@OptionalApiKey`, `@AcceptTokenKinds` and `@SkipApiKey` adjust
 * routes.
 * A refusal is thrown as `ApiKeyDenied` after its headers (all but `Content-Type`) are set on the response, so they
 * stay even when a filter of yours reshapes the body, as with `@nestjs/throttler`'s `Retry-After`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly policies: RoutePolicies;

  constructor(
    @Inject(KEYGUARD) private readonly keyguard: RequestGuard,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {
    this.policies = new RoutePolicies(keyguard);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policies.of(context.getClass(), context.getHandler());
    if (policy.skip) return true;
    if (context.getType() !== 'http') {
      throw new KeyguardError(
        'UNSUPPORTED_CONTEXT',
        `ApiKeyGuard guards HTTP routes, not ${context.getType()} handlers; mark them @SkipApiKey()`,
      );
    }
    const http = context.switchToHttp();
    const request = http.getRequest<KeyguardRequest>();
    const response: unknown = http.getResponse();
    // Applied twice to one route (globally and by a route decorator): the key is verified once, not charged twice.
    if (request[ADMITTED_BY] === this.keyguard) return this.checkPermissions(policy, request, response);
    const outcome = this.keyguard.authenticate(
      {
        headers: request.headers,
        rawHeaders: request.rawHeaders ?? request.raw?.rawHeaders,
        url: request.originalUrl ?? request.url,
        logger: request.log,
        requestId: request.id,
      },
      policy.overrides,
    );
    // A cache hit is answered synchronously: no promise on the hot path.
    return outcome instanceof Promise
      ? outcome.then((settled) => this.admit(settled, policy, request, response))
      : this.admit(outcome, policy, request, response);
  }

  private admit(
    outcome: AuthenticationOutcome,
    policy: RoutePolicy,
    request: KeyguardRequest,
    response: unknown,
  ): boolean {
    if (!outcome.allowed) this.deny(outcome.denial, response);
    if (outcome.apiKey) request.apiKey = outcome.apiKey;
    request[ADMITTED_BY] = this.keyguard;
    if (outcome.headers) setHeaders(this.adapterHost.httpAdapter, response, mergedHeaders(response, outcome.headers));
    return this.checkPermissions(policy, request, response);
  }

  private checkPermissions(policy: RoutePolicy, request: KeyguardRequest, response: unknown): boolean {
    for (const check of policy.checks) {
      const denial = check(request.apiKey);
      if (denial) this.deny(denial, response);
    }
    return true;
  }

  private deny(denial: DenialResponse, response: unknown): never {
    // The merged headers go in the exception too: the filter writes them again, after the guard.
    const merged = { ...denial, headers: mergedHeaders(response, denial.headers) };
    setHeaders(this.adapterHost.httpAdapter, response, merged.headers, 'Content-Type');
    throw new ApiKeyDenied(merged);
  }
}
