import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

export type Platform = 'express' | 'fastify';

/** The example on either of Nest's HTTP platforms; bodies over 16 kB are refused on both. */
export async function createApp(platform: Platform, options: { logger?: false } = {}): Promise<INestApplication> {
  if (platform === 'fastify')
    return NestFactory.create(AppModule, new FastifyAdapter({ bodyLimit: 16 * 1024 }), options);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, new ExpressAdapter(), options);
  app.useBodyParser('json', { limit: '16kb' });
  return app;
}
