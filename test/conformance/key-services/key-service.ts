import type { Fault } from '../../support/faults.js';
import type { ProviderConfig } from '../../support/provider-config.js';

/** The keys every key service issues for one scenario on one harness: fresh each time, so no cache entry is shared. */
export interface ScenarioKeys {
  /** Valid, `docs.read`. */
  reader: string;
  /** Valid, `docs.read` and `docs.write`. */
  writer: string;
  /** Well-formed, unknown to the key service. */
  unknown: string;
  /** Well-formed, unknown, and exactly 512 characters long (the longest key keyguard reads). */
  longest: string;
}

/** The ids the table expects in `{ apiKey }` answers, one per role; a service whose ids differ maps them (`tableKeyId`). */
export const KEY_IDS = { reader: 'key_reader', writer: 'key_writer', limited: 'key_limited' } as const;

/** A key service the harnesses verify against, in one of the provider modes of the table. */
export interface KeyService<Keys extends ScenarioKeys> {
  /** What a harness builds its verifier from (plain data). */
  readonly config: ProviderConfig;
  /** How the service misbehaves, from now until it is set back to `{ kind: 'none' }`. */
  fault: Fault;
  /** Verification requests the service has received so far (answered or not). */
  readonly verifyCalls: number;
  /** A fresh set of keys, named after `tag`; every secret in it is registered with the leak watch. */
  issueKeys(tag: string): Promise<Keys>;
  /** The id `KEY_IDS` gives the key the service calls `id` (so that answers compare across services and harnesses). */
  tableKeyId(id: string): string;
  stop(): Promise<void>;
}
