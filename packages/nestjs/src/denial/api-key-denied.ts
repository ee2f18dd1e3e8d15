import { HttpException } from '@nestjs/common';
import type { DenialResponse } from '@keyguard/core';

/**
 * A request refused by keyguard. `denial` is the whole answer: status, headers and the RFC 9457 problem details
 * (also `getResponse()`). `ApiKeyDeniedFilter` writes it as is; a filter of yours can write something else.
 */
export class ApiKeyDenied extends HttpException {
  /** The problem's stable code (`MISSING_KEY`, `RATE_LIMITED`, …). */
  readonly code: string;

  constructor(
    /** The whole answer: status, headers and body. */
    readonly denial: DenialResponse,
  ) {
    super(denial.body, denial.status);
    this.code = denial.body.code;
  }
}
