import type { Attributes } from '@opentelemetry/api';
import type { Verification } from '../types.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_PROVIDER_NAME,
  ATTR_VERIFICATION_CODE,
  ATTR_VERIFICATION_SOURCE,
  type TelemetrySource,
} from './names.js';

/**
 * Where an answer came from: `Verification.source`, except that a remembered denial is counted apart as `negative`
 * (the hit rate of the negative cache is worth seeing on its own).
 */
export function telemetrySource(verification: Verification): TelemetrySource {
  if (verification.source === 'cache' && !verification.valid && verification.code !== 'RATE_LIMITED') return 'negative';
  return verification.source;
}

/** The attributes of one kind of answer, and how many such answers were given. */
export interface AnswerCount {
  readonly attributes: Attributes;
  count: number;
}

/**
 * The attribute sets of one provider's measurements, made once each and reused: recording a cache hit allocates
 * nothing. The sets are small (a dozen codes, five sources), and the key id is never among them. Answers are counted
 * here, a plain increment, and reported when metrics are collected: an SDK's synchronous counter hashes the
 * attributes on every add, several times the cost of the cache hit itself.
 */
export class AttributeSets {
  private readonly answers = new Map<TelemetrySource, Map<string, AnswerCount>>();
  private readonly calls = new Map<string, Attributes>();
  private readonly errors = new Map<string, Attributes>();
  readonly provider: Attributes;

  constructor(private readonly providerName: string) {
    this.provider = Object.freeze({ [ATTR_PROVIDER_NAME]: providerName });
  }

  /** Provider, code and source of an answer, with the count of such answers. */
  answer(verification: Verification): AnswerCount {
    const source = telemetrySource(verification);
    let byCode = this.answers.get(source);
    if (!byCode) {
      byCode = new Map();
      this.answers.set(source, byCode);
    }
    let counted = byCode.get(verification.code);
    if (!counted) {
      const attributes = Object.freeze({
        [ATTR_PROVIDER_NAME]: this.providerName,
        [ATTR_VERIFICATION_CODE]: verification.code,
        [ATTR_VERIFICATION_SOURCE]: source,
      });
      counted = { attributes, count: 0 };
      byCode.set(verification.code, counted);
    }
    return counted;
  }

  /** Every kind of answer counted so far. */
  *answerCounts(): Iterable<AnswerCount> {
    for (const byCode of this.answers.values()) yield* byCode.values();
  }

  /** Provider and code of a call the provider answered. */
  call(code: string): Attributes {
    let attributes = this.calls.get(code);
    if (!attributes) {
      attributes = Object.freeze({ [ATTR_PROVIDER_NAME]: this.providerName, [ATTR_VERIFICATION_CODE]: code });
      this.calls.set(code, attributes);
    }
    return attributes;
  }

  /** Provider and `error.type` of a call that failed. */
  error(errorType: string): Attributes {
    let attributes = this.errors.get(errorType);
    if (!attributes) {
      attributes = Object.freeze({ [ATTR_PROVIDER_NAME]: this.providerName, [ATTR_ERROR_TYPE]: errorType });
      this.errors.set(errorType, attributes);
    }
    return attributes;
  }
}
