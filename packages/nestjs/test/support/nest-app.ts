import type { INestApplication, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export type Platform = 'express' | 'fastify';
export const PLATFORMS: Platform[] = ['express', 'fastify'];

// Nest's warnings and errors go through console, where the suite's leak watch reads them; the rest is dropped.
const logger: LoggerService = {
  log: () => undefined,
  warn: (...parts: unknown[]) => console.warn(...parts),
  error: (...parts: unknown[]) => console.error(...parts),
};

export interface RunningApp {
  url: string;
  app: INestApplication;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** Starts `module` on the platform over loopback HTTP; `configure` runs before it listens (global filters, …). */
export async function startNest(
  platform: Platform,
  module: Type,
  configure?: (app: INestApplication) => void,
): Promise<RunningApp> {
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app: INestApplication = await NestFactory.create(module, adapter, { logger, forceCloseConnections: true });
  configure?.(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    app,
    get: (path, headers = {}) => fetch(url + path, { headers }),
    close: () => app.close(),
  };
}

/** Starts a fresh app per call and closes every one of them after the test file. */
export function appTracker() {
  const running: RunningApp[] = [];
  return {
    async start(...args: Parameters<typeof startNest>): Promise<RunningApp> {
      const app = await startNest(...args);
      running.push(app);
      return app;
    },
    async closeAll(): Promise<void> {
      await Promise.all(running.splice(0).map((app) => app.close()));
    },
  };
}
