import { runtime } from '@keyguard/core/runtime';
import type { HttpTransport } from '@keyguard/core/service';
import { UnkeyApiError, type UnkeyApiErrorCode, type UnkeyErrorItem } from '@keyguard/unkey';
import { CliError } from './errors.js';

/** What `keyguard serve` answers beside Unkey's API v2 (`/v2/keyguard.*`): listing APIs, managing root keys. */
export interface ApiSummary {
  id: string;
  name: string;
  createdAt: number;
}

export interface RootKeySummary {
  id: string;
  name?: string;
  start: string;
  permissions: string[];
  createdAt: number;
}

/** Where the next page of a list starts, as Unkey pages: `cursor` is set while `hasMore`. */
export interface KeyguardPagination {
  cursor?: string;
  hasMore: boolean;
}

const CODES: Readonly<Record<number, UnkeyApiErrorCode>> = {
  400: 'UNKEY_BAD_REQUEST',
  401: 'UNKEY_UNAUTHORIZED',
  403: 'UNKEY_FORBIDDEN',
  404: 'UNKEY_NOT_FOUND',
  409: 'UNKEY_CONFLICT',
};

const DEFAULT_TIMEOUT_MS = 10_000;

/** The body's `error` object, or nothing usable. */
function errorOf(body: unknown): { title?: string; detail?: string; type?: string; errors?: UnkeyErrorItem[] } {
  const error = (body as { error?: unknown } | undefined)?.error;
  return error !== null && typeof error === 'object' ? (error as ReturnType<typeof errorOf>) : {};
}

/**
 * Calls keyguard's own routes on the local key service with the root key, over core's transport (the one
 * `UnkeyClient` uses): one attempt, a deadline, and the same errors (`UnkeyApiError`, `TransportError`) so they
 * print the same way.
 */
export class KeyguardRoutes {
  private readonly transport: HttpTransport;

  constructor(
    private readonly baseUrl: string,
    private readonly rootKey: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    const origin = new URL(baseUrl);
    // The root key is the credential here; user:password@ in the URL is not sent on.
    origin.username = '';
    origin.password = '';
    this.transport = runtime.createTransport(origin.href.replace(/\/$/, ''));
  }

  async call<T>(operation: string, body: object = {}): Promise<T> {
    return (await this.page<T>(operation, body)).data;
  }

  /** `call`, with the `pagination` of a list operation (`{cursor, hasMore}`) beside its data. */
  async page<T>(operation: string, body: object = {}): Promise<{ data: T; pagination?: KeyguardPagination }> {
    const name = `keyguard.${operation}`;
    const response = await this.transport.request({
      method: 'POST',
      path: `/v2/${name}`,
      headers: {
        authorization: `Bearer ${this.rootKey}`,
        'content-type': 'application/json',
        'user-agent': 'keyguard-cli',
      },
      body: JSON.stringify(body),
      timeoutMs: this.timeoutMs,
    });
    const answer = parsed(response.body);
    if (response.status >= 200 && response.status < 300) return answer as { data: T; pagination?: KeyguardPagination };
    const error = errorOf(answer);
    // Unkey (or an older keyguard) answers an unknown route 404: say what is missing, not "not found".
    const noSuchRoute =
      response.status === 404 && (error.type === undefined || error.type.endsWith('/route_not_found'));
    if (noSuchRoute)
      throw new CliError(
        `${this.baseUrl} has no ${name}: it needs keyguard's local key service (\`keyguard serve\`); on Unkey itself, use its dashboard`,
      );
    throw new UnkeyApiError(CODES[response.status] ?? 'UNKEY_HTTP_ERROR', {
      operation: name,
      status: response.status,
      title: error.title ?? `HTTP ${response.status}`,
      detail: error.detail ?? '',
      errors: Array.isArray(error.errors) ? error.errors : [],
    });
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
