/**
 * A key service's base URL as a log line may show it: no `user:password@`, query or fragment (none belongs there,
 * but one may be put), no trailing slash; undefined when it is not a URL. Providers set it as `Provider.endpoint`.
 *
 * @example
 * ```ts
 * import { loggableUrl } from '@keyguard/core/service';
 *
 * loggableUrl('https://user:pw@api.example.com/v1/?token=x'); // 'https://api.example.com/v1'
 * ```
 */
export function loggableUrl(baseUrl: string): string | undefined {
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return undefined;
  }
}
