/** The path and the query parameters of a request target. */
export interface RequestTarget {
  path: string;
  query: URLSearchParams;
}

/**
 * Splits a request target (RFC 9112 §3.2): the usual origin form `/path?query`, or the absolute form a proxy sends
 * (`http://host/path?query`). The origin form is split by hand: `new URL('//x/y', base)` would read `x` as a host.
 */
export function requestTarget(url: string | undefined): RequestTarget {
  const target = url ?? '/';
  if (!target.startsWith('/')) {
    try {
      const absolute = new URL(target);
      return { path: absolute.pathname, query: absolute.searchParams };
    } catch {
      return { path: target, query: new URLSearchParams() };
    }
  }
  const end = target.indexOf('#');
  const withoutFragment = end === -1 ? target : target.slice(0, end);
  const start = withoutFragment.indexOf('?');
  if (start === -1) return { path: withoutFragment, query: new URLSearchParams() };
  return { path: withoutFragment.slice(0, start), query: new URLSearchParams(withoutFragment.slice(start + 1)) };
}
