import { KeyguardError } from '../errors.js';
import type { TransportErrorCode } from './types.js';

/** A request that got no complete answer. `sent` says whether it may have reached the server. */
export class TransportError extends KeyguardError {
  static override readonly brand: string = 'keyguard.core.TransportError';
  declare readonly code: TransportErrorCode;
  readonly sent: boolean;

  constructor(code: TransportErrorCode, message: string, sent: boolean, cause?: unknown) {
    super(code, message, { cause });
    this.sent = sent;
  }
}
