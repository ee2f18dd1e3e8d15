// The service's answers as the dashboard reads them: Unkey's v2 wire types (docs/unkey-v2.md), trimmed to what the
// pages show.

export interface ApiSummary {
  id: string;
  name: string;
  createdAt?: number;
}

export interface KeyRatelimit {
  id: string;
  name: string;
  limit: number;
  duration: number;
  autoApply: boolean;
}

export interface Identity {
  id: string;
  externalId: string;
  meta?: Record<string, unknown>;
  ratelimits?: KeyRatelimit[];
}

export interface Key {
  keyId: string;
  start: string;
  enabled: boolean;
  createdAt: number;
  name?: string;
  meta?: Record<string, unknown>;
  updatedAt?: number;
  lastUsedAt?: number;
  expires?: number;
  permissions?: string[];
  roles?: string[];
  credits?: { remaining: number | null; refill?: { interval: string; amount: number; refillDay?: number } };
  identity?: Identity;
  ratelimits?: KeyRatelimit[];
}

export interface Permission {
  id: string;
  name: string;
  slug: string;
  description?: string;
}

export interface Role {
  id: string;
  name: string;
  description?: string;
  permissions?: Permission[];
}

export interface Override {
  overrideId: string;
  identifier: string;
  limit: number;
  duration: number;
}

/** One verification of the live feed (observability/verification-feed.ts on the server). */
export interface Verification {
  /** Counts up per server run: the same verification from the history and the live feed has the same id. */
  id: number;
  time: number;
  format: 'unkey' | 'clerk';
  code: string;
  keyId?: string;
  apiId?: string;
  failedCheck?: string;
  permissions?: string;
  ratelimits?: { name: string; limit: number; remaining: number; reset: number; exceeded: boolean }[];
}

/** Verifications of one key (or of none) with one code, within one batch of the feed (dashboard/verification-batch.ts). */
export interface VerificationCount {
  apiId?: string;
  keyId?: string;
  code: string;
  count: number;
}

/** One `verifications` event of the feed: every verification counted, the latest ones whole. */
export interface VerificationBatch {
  firstId: number;
  lastId: number;
  time: number;
  counts: VerificationCount[];
  events: Verification[];
  sampledOut: number;
}

/** A count as the page keeps it: with the batch's time and ids, for charts and for what the history has counted. */
export interface CountRow extends VerificationCount {
  time: number;
  firstId: number;
  lastId: number;
}

/** One minute's verifications by outcome code (the server's observability/minute-series.ts). */
export interface MinuteCounts {
  start: number;
  counts: Record<string, number>;
}

/** `GET <path>/history`: the latest verifications (oldest first), per-minute counts, the feed's latest id then. */
export interface History {
  events: Verification[];
  minutes?: MinuteCounts[];
  lastId: number;
}
