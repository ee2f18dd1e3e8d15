/**
 * The request a Next.js route sees after `middleware.ts` answered `NextResponse.next({ request: { headers } })`:
 * what Next.js's router does with `x-middleware-override-headers` (next/dist/server/lib/router-utils/resolve-routes.js),
 * replacing the request's headers with the `x-middleware-request-*` ones. Tests run the edge middleware without a
 * Next.js server, so they play the router's part with this.
 */
export function requestSeenByRoute(original: Request, middlewareResponse: Response): Request {
  const override = middlewareResponse.headers.get('x-middleware-override-headers');
  if (override === null) return original;
  const headers = new Headers();
  for (const name of override
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const value = middlewareResponse.headers.get(`x-middleware-request-${name}`);
    if (value !== null) headers.set(name, value);
  }
  return new Request(original.url, { method: original.method, headers });
}
