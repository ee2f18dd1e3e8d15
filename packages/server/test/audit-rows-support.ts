/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire formats, checked by assertions */
import { expect } from 'vitest';
import type { AuditHarness } from './audit-helpers.js';

/** The entry an audited operation must have written. */
export interface Expected {
  action: string;
  target: { type: string; id: string | undefined };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  detail?: Record<string, unknown>;
}

/** One audited operation (its wire name) and how to run it: the entry it must then have written. */
export type Row = [string, () => Promise<Expected>];

/** What the rows share: the harness, and the ids made by earlier rows (they run in order). */
export interface Rows {
  h(): AuditHarness;
  ids: Record<string, string>;
  data(operation: string, body: unknown): Promise<any>;
  clerkBody(method: string, path: string, status: number, body?: unknown): Promise<any>;
}

export function rowTools(harness: () => AuditHarness): Rows {
  return {
    h: harness,
    ids: {},
    async data(operation, body) {
      const answer = await harness().call(operation, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.data;
    },
    async clerkBody(method, path, status, body) {
      const answer = await harness().clerk(method, path, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      return answer.body;
    },
  };
}
