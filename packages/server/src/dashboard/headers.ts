import type { OutgoingHttpHeaders } from 'node:http';

/**
 * Every dashboard answer's headers. `default-src 'self'` with no inline script or style: the page runs only the
 * bundled files; `frame-ancestors 'none'` (and the older `X-Frame-Options`) keep it out of other sites' frames;
 * `no-referrer` keeps the dashboard's URL out of requests elsewhere (it holds no secret, but ids need not leak).
 * The root key is never in a cookie, so a cross-site request carries no credential of the dashboard's (no CSRF).
 */
export const SECURITY_HEADERS: Readonly<OutgoingHttpHeaders> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The page names its assets by content hash: they never change under a name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself is checked each time (a new build names new assets). */
export const REVALIDATE = 'no-cache';
