import { fleetFailures } from './edge-redis-failures.js';

// An edge function that tries @keyguard/redis and answers what each of its ways in threw, as JSON.
declare function addEventListener(
  type: 'fetch',
  listener: (event: { respondWith(response: Promise<Response>): void }) => void,
): void;

addEventListener('fetch', (event) => event.respondWith(fleetFailures().then((failures) => Response.json(failures))));
