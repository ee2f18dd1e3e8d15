import { KeyguardError } from '../errors.js';
import type { TransportErrorCode } from './types.js';

/** A request that got no complete answer. `sent` says whether it may have reached the server. */
export class TransportError extends KeyguardError {
  static override readonly brand: string = 'keyguard.core.TransportError';
  /** Why no complete answer came. */
  declare readonly code: TransportErrorCode;
  /** True when the request may have reached the server (so a call that spends something is not repeated). */
  readonly sent: boolean;

  constructor(code: TransportErrorCode, message: string, sent: boolean, cause?: unknown) {
    super(code, message, { cause });
    this.sent = sent;
  }
}
