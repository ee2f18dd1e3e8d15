import 'reflect-metadata';
import { createApp } from './create-app.js';

if (!process.env.KEYGUARD_ROOT_KEY && !process.env.UNKEY_ROOT_KEY) {
  console.error('Set KEYGUARD_ROOT_KEY (and KEYGUARD_BASE_URL) for the local key service, or UNKEY_ROOT_KEY for Unkey.');
  process.exit(1);
}
const platform = process.env.PLATFORM === 'fastify' ? 'fastify' : 'express';
const app = await createApp(platform);
// Closes the server, then keyguard's verifier, on Ctrl+C.
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
console.log(`example API on ${(await app.getUrl()).replace('[::1]', '127.0.0.1')} (Nest on ${platform})`);
