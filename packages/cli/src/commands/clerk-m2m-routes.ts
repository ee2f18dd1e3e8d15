import { runtime } from '@keyguard/core/runtime';
import { TransportError, type HttpTransport } from '@keyguard/core/service';
import { CliError, unreachableServiceError } from '../errors.js';

const DEFAULT_TIMEOUT_MS = 10_000;

interface ClerkErrorBody {
  errors?: { message?: string; long_message?: string; code?: string }[];
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Calls Clerk's machine-auth routes (`/m2m_tokens…`, `/machines…`, `/jwks`, and the local service's
 * `/keyguard/oauth_access_tokens`) under the Clerk base URL, with whichever secret key the route takes: one attempt,
 * a deadline, and failures as one line that never holds a key (Clerk's messages do not repeat them).
 */
export class ClerkM2MRoutes {
  private readonly transport: HttpTransport;
  private readonly origin: string;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    this.origin = url.href.replace(/\/$/, '');
    this.transport = runtime.createTransport(this.origin);
  }

  async call<T>(operation: string, method: 'GET' | 'POST', path: string, key: string, body?: object): Promise<T> {
    let response: { status: number; body: string };
    try {
      response = await this.transport.request({
        method,
        path,
        headers: {
          authorization: `Bearer ${key}`,
          'user-agent': 'keyguard-cli',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      if (error instanceof TransportError)
        throw unreachableServiceError(error, this.baseUrl, 'KEYGUARD_CLERK_BASE_URL');
      throw error;
    }
    const answer = parsed(response.body);
    if (response.status >= 200 && response.status < 300) return answer as T;
    const first = (answer as ClerkErrorBody | undefined)?.errors?.[0];
    const reason = first ? `${first.long_message || first.message || ''}${first.code ? ` (${first.code})` : ''}` : '';
    throw new CliError(`clerk ${operation} failed: HTTP ${response.status}${reason ? `: ${reason}` : ''}`);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
