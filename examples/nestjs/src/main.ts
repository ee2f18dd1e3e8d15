import 'reflect-metadata';
import { createApp } from './create-app.js';

// No top-level await: like Nest's own starter, this app compiles to CommonJS (`pnpm build`, tsconfig.build.json)
// as well as running from source with tsx.
async function bootstrap(): Promise<void> {
  if (!process.env.KEYGUARD_ROOT_KEY && !process.env.UNKEY_ROOT_KEY) {
    console.error(
      'Set KEYGUARD_ROOT_KEY (and KEYGUARD_BASE_URL) for the local key service, or UNKEY_ROOT_KEY for Unkey.',
    );
    process.exit(1);
  }
  const platform = process.env.PLATFORM === 'fastify' ? 'fastify' : 'express';
  const app = await createApp(platform);
  // Ctrl+C closes the server, then keyguard's verifier, once, then exits: the terminal and pnpm both send it, and
  // Nest's own shutdown hooks, or a copy arriving while Node tears down, would end the process by the signal again
  // (pnpm then reports the script as failed).
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void app.close().then(() => process.exit(0));
    });
  }
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`example API on ${(await app.getUrl()).replace('[::1]', '127.0.0.1')} (Nest on ${platform})`);
}

void bootstrap();
