import type { Runtime } from '../runtime/types.js';
import type { VerifierInstrumentation } from '../telemetry/types.js';
import type { Verification } from '../types.js';
import type { Counters, Memory } from './memory.js';
import type { BatchedMeter } from './metering/batched-meter.js';
import { passesPrecheck } from './precheck.js';
import type { FleetMembership, VerifierHooks, VerifyOptions, WaitUntil } from './types.js';
import type { Upstream } from './upstream.js';
import { INVALID_FORMAT } from './verification.js';

/** What a verification and an invalidation work with; `state.invalidations` is bumped by every invalidation. */
export interface RequestPathParts {
  runtime: Runtime;
  keyPrefix: string | undefined;
  /** The provider's `maxKeyLength`, or `MAX_KEY_LENGTH`. */
  maxKeyLength: number;
  memory: Memory;
  upstream: Upstream;
  fleet: FleetMembership | undefined;
  metering: BatchedMeter | undefined;
  counters: Counters;
  hooks: VerifierHooks;
  instrumentation: VerifierInstrumentation | undefined;
  state: { invalidations: number };
}

/**
 * A request's way through the verifier: the local pre-checks, the key's digest, memory, else the provider; and the
 * invalidations, which verifications wait for while a digest is still being computed.
 */
export class RequestPath {
  /** Invalidations whose digest is still being computed (fetch runtimes hash asynchronously). */
  private pendingInvalidations: Promise<void> | undefined;

  // The cached path reads these on every request: held as fields of their own rather than through `parts`.
  private readonly runtime: Runtime;
  private readonly keyPrefix: string | undefined;
  private readonly maxKeyLength: number;
  private readonly memory: Memory;
  private readonly hooks: VerifierHooks;
  private readonly instrumentation: VerifierInstrumentation | undefined;

  constructor(private readonly parts: RequestPathParts) {
    ({
      runtime: this.runtime,
      keyPrefix: this.keyPrefix,
      maxKeyLength: this.maxKeyLength,
      memory: this.memory,
      hooks: this.hooks,
      instrumentation: this.instrumentation,
    } = parts);
  }

  verifyCached(key: string, verifyOptions?: VerifyOptions): Verification | undefined {
    if (!passesPrecheck(key, this.keyPrefix, this.maxKeyLength)) return this.rejectFormat();
    // An invalidation still hashing, or a runtime that hashes asynchronously: only verify() can answer.
    if (this.pendingInvalidations) return undefined;
    const digest = this.runtime.digest(key);
    if (typeof digest !== 'string') return undefined;
    return this.answerFromMemory(key, digest, this.hooks.onVerification ? Date.now() : 0, verifyOptions?.waitUntil);
  }

  verify(key: string, verifyOptions?: VerifyOptions): Promise<Verification> {
    if (!passesPrecheck(key, this.keyPrefix, this.maxKeyLength)) return Promise.resolve(this.rejectFormat());
    const started = this.hooks.onVerification ? Date.now() : 0;
    const waitUntil = verifyOptions?.waitUntil;
    if (!this.pendingInvalidations) {
      const digest = this.runtime.digest(key);
      if (typeof digest === 'string') {
        const cached = this.answerFromMemory(key, digest, started, waitUntil);
        return cached ? Promise.resolve(cached) : this.verifyMiss(key, digest, started);
      }
    }
    return this.verifyAfterHashing(key, started, waitUntil);
  }

  invalidate(key: string): void {
    this.parts.state.invalidations += 1;
    const cache = this.memory.cache;
    if (!cache || !passesPrecheck(key, undefined, this.maxKeyLength)) return;
    const drop = (digest: string) => {
      cache.delete(digest);
      this.parts.fleet?.publish({ digest });
      this.parts.metering?.forget(digest);
    };
    const computed = this.runtime.digest(key);
    if (typeof computed === 'string') {
      drop(computed);
      return;
    }
    // Runtimes with an asynchronous digest: verifications wait for the drop so none is answered from the old entry.
    const dropped = computed.then(drop);
    const pending = (this.pendingInvalidations ?? Promise.resolve()).then(() => dropped);
    this.pendingInvalidations = pending;
    void pending.then(() => {
      if (this.pendingInvalidations === pending) this.pendingInvalidations = undefined;
    });
  }

  invalidateKeyId(keyId: string): void {
    this.parts.state.invalidations += 1;
    this.memory.cache?.deleteKeyId(keyId);
    this.parts.fleet?.publish({ keyId });
    this.parts.metering?.forgetKeyId(keyId);
  }

  invalidateAll(): void {
    this.parts.state.invalidations += 1;
    this.memory.cache?.clear();
    this.parts.fleet?.publish({ all: true });
    this.parts.metering?.forgetAll();
  }

  /** Memory's answer for a digest, reported to the hook when there is one. */
  private answerFromMemory(
    key: string,
    digest: string,
    started: number,
    waitUntil: WaitUntil | undefined,
  ): Verification | undefined {
    const verification = this.memory.lookup(key, digest, waitUntil);
    if (verification) {
      this.instrumentation?.answered(verification);
      this.hooks.onVerification?.({ digest, verification, durationMs: Date.now() - started });
    }
    return verification;
  }

  private rejectFormat(): Verification {
    this.instrumentation?.answered(INVALID_FORMAT);
    return INVALID_FORMAT;
  }

  /** After pending invalidations and an asynchronous digest (fetch runtimes): memory, else the provider. */
  private async verifyAfterHashing(
    key: string,
    started: number,
    waitUntil: WaitUntil | undefined,
  ): Promise<Verification> {
    if (this.pendingInvalidations) await this.pendingInvalidations;
    const digest = await this.runtime.digest(key);
    return this.answerFromMemory(key, digest, started, waitUntil) ?? this.verifyMiss(key, digest, started);
  }

  private async verifyMiss(key: string, digest: string, started: number): Promise<Verification> {
    this.parts.counters.misses += 1;
    const verification = await this.parts.upstream.verify(key, digest, this.memory.isMetered(digest));
    this.instrumentation?.answered(verification);
    this.hooks.onVerification?.({ digest, verification, durationMs: Date.now() - started });
    return verification;
  }
}
