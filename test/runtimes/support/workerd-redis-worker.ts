import { fleetFailures } from './edge-redis-failures.js';

// A Worker that tries @keyguard/redis and answers what each of its ways in threw, as JSON.
export default {
  async fetch(): Promise<Response> {
    return Response.json(await fleetFailures());
  },
};
