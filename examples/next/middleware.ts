import { unkey } from '@keyguard/unkey';
import { keyguardMiddleware } from '@keyguard/next/edge';

// Runs on the edge runtime (fetch only). Next.js 16 calls this convention deprecated in favour of proxy.ts, but
// proxy.ts always runs on Node.js; middleware.ts is still the way to verify keys on the edge.
export const middleware = keyguardMiddleware(() => ({
  provider: unkey({
    rootKey: process.env.KEYGUARD_ROOT_KEY ?? process.env.UNKEY_ROOT_KEY ?? '',
    baseUrl: process.env.KEYGUARD_BASE_URL ?? (process.env.KEYGUARD_ROOT_KEY ? 'http://127.0.0.1:8787' : undefined),
  }),
  // Signs the forwarded key with KEYGUARD_FORWARD_SECRET (read from the environment when not given here).
  forward: { secret: process.env.KEYGUARD_FORWARD_SECRET },
}));

// Only these paths pay for a verification; everything else never enters the middleware.
export const config = { matcher: '/api/edge/:path*' };
