import { Controller, Get } from '@nestjs/common';
import type { VerifiedKey } from '@keyguard/core';
import { ApiKey, OptionalApiKey, SkipApiKey } from '@keyguard/nestjs';

@Controller()
export class AccountController {
  @Get('health')
  @SkipApiKey()
  health() {
    return { ok: true };
  }

  @Get('greeting')
  @OptionalApiKey()
  greeting(@ApiKey() apiKey: VerifiedKey | undefined) {
    return { message: `hello ${apiKey?.name ?? 'anonymous'}` };
  }

  @Get('me')
  me(@ApiKey() apiKey: VerifiedKey) {
    const { id, name, permissions, roles, identity, credits, ratelimits } = apiKey;
    return { id, name, permissions, roles, identity, credits, ratelimits };
  }
}
