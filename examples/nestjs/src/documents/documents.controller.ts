import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseIntPipe, Post } from '@nestjs/common';
import { RequirePermissions } from '@keyguard/nestjs';
import { DocumentsService } from './documents.service.js';
import type { Document } from './documents.service.js';

// Every route here requires a key (the global ApiKeyGuard of AppModule); each adds the permissions it needs.
@Controller('documents')
export class DocumentsController {
  constructor(@Inject(DocumentsService) private readonly documents: DocumentsService) {}

  @Get()
  @RequirePermissions('documents.read')
  list(): { documents: Document[] } {
    return { documents: this.documents.list() };
  }

  @Post()
  @RequirePermissions('documents.write')
  create(@Body() body: { title?: unknown } | undefined): Document {
    return this.documents.create(typeof body?.title === 'string' ? body.title : 'untitled');
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('admin OR (documents.write AND documents.delete)')
  remove(@Param('id', ParseIntPipe) id: number): void {
    this.documents.remove(id);
  }
}
