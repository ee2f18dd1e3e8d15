import { Catch, Inject } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiKeyDenied } from './api-key-denied.js';
import { setHeaders } from './write-headers.js';

/**
 * Writes an `ApiKeyDenied` exactly as keyguard's other adapters do: its status, every header, and the problem
 * details as `application/problem+json`. `KeyguardModule` installs it; a filter of yours for `ApiKeyDenied`
 * (or for everything) bound to a controller or route, or given to `app.useGlobalFilters`, answers instead.
 */
@Catch(ApiKeyDenied)
export class ApiKeyDeniedFilter implements ExceptionFilter<ApiKeyDenied> {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: ApiKeyDenied, host: ArgumentsHost): void {
    const adapter = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    const { status, headers, body } = exception.denial;
    setHeaders(adapter, response, headers);
    // A string body, so neither adapter replaces the problem+json media type with its own JSON one.
    adapter.reply(response, JSON.stringify(body), status);
  }
}
