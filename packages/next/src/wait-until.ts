import type { WaitUntil } from '@keyguard/core';
import * as nextServer from 'next/server.js';

// `after` is stable from Next.js 15.1; on 15.0 it is missing and a refresh simply runs on its own.
const after = (nextServer as { after?: (task: Promise<unknown>) => void }).after;

/**
 * Hands a background refresh to Next.js `after`, so the platform (Vercel, `next start`) keeps it alive once the
 * response is sent. Outside a request scope (a handler called directly, in a test) `after` throws: the refresh then
 * runs on its own, as it would in any Node process.
 */
export const waitUntilAfterResponse: WaitUntil = (promise) => {
  try {
    after?.(promise);
  } catch {
    // Not inside Next.js's request scope.
  }
};
