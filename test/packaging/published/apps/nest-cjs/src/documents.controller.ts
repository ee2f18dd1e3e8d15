import { Controller, Get } from '@nestjs/common';
import type { VerifiedKey } from '@keyguard/core';
import { ApiKey, RequirePermissions } from '@keyguard/nestjs';

@Controller('documents')
export class DocumentsController {
  @Get()
  @RequirePermissions('documents.read')
  list(@ApiKey() apiKey: VerifiedKey) {
    return { caller: apiKey.id };
  }
}
