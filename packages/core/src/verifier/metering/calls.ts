import type { Logger, VerificationCost } from '../../types.js';
import type { FleetMetering, WaitUntil } from '../types.js';
import type { Budget, KeyMeter } from './budget.js';

/** One upstream call about a key, as metering tracks it: numbered when sent, with what it spends where. */
export interface MeteredCall {
  readonly seq: number;
  readonly digest: string;
  /** Units spent on each of `budgets`: 1 for a per-request verification, n for a settlement of n admissions. */
  readonly units: number;
  readonly budgets: readonly Budget[];
  /** Each budget's `releasedNow()` when the call was sent (fleet-shared counts; see `Budget.observe`). */
  readonly releasedAtSend?: readonly number[];
  readonly meter?: KeyMeter;
  /**
   * Present on settlements: the key (to put the admissions back should the call fail), whether the call named the
   * key's limits, and whether it only completes an earlier settlement's rate-limit spend (`topUp`).
   */
  readonly settlement?: { key: string; namedLimits: boolean; topUp?: boolean };
}

/** The others' `released` total a budget had when the call was sent; undefined when the call did not spend it. */
export function releasedAtSend(call: MeteredCall, budget: Budget): number | undefined {
  const index = call.budgets.indexOf(budget);
  return index >= 0 ? call.releasedAtSend?.[index] : undefined;
}

/** What batched metering needs from its verifier. */
export interface MeteringHost {
  /** Sends a settlement; the verifier hands the outcome back through `answered`, as for every call it was given. */
  settle(key: string, digest: string, cost: VerificationCost, call: MeteredCall): Promise<unknown>;
  /** How long after an upstream answer requests may still be admitted from it (the cache's fresh window). */
  freshMs: number;
  /** Most keys tracked (the cache's size); idle ones are dropped past it. */
  maxMeters: number;
  waitUntil?: WaitUntil;
  logger: Logger;
  /** The fleet's shared counts: estimates then subtract the other instances' unconfirmed admissions too. */
  shared?: FleetMetering;
  /** How often the fleet reads the shared counts again while they are in use (ms). */
  sharedRefreshMs?: number;
}
