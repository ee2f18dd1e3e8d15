import type { Harness } from '../../../conformance/fixtures.js';
import { announce, providerConfigFromEnv } from './app-env.js';

// One harness of test/conformance/harnesses (HARNESS=express, fastify, koa, nest-express, nest-fastify), run as an app
// on another runtime: the same file the Node suite runs, its imports of `@keyguard/*` resolved by this runtime.
const name = process.env.HARNESS ?? '';
if (!/^[a-z-]+$/.test(name)) throw new Error('HARNESS must name a file of test/conformance/harnesses');
const { default: harness } = (await import(`../../../conformance/harnesses/${name}.ts`)) as { default: Harness };
announce((await harness.start(providerConfigFromEnv())).url);
