import { Injectable } from '@nestjs/common';

export interface Document {
  id: number;
  title: string;
}

/** An in-memory document store: the example is about who may call what, not about storage. */
@Injectable()
export class DocumentsService {
  private readonly documents: Document[] = [{ id: 1, title: 'Getting started' }];

  list(): Document[] {
    return this.documents;
  }

  create(title: string): Document {
    const document = { id: this.documents.length + 1, title };
    this.documents.push(document);
    return document;
  }

  remove(id: number): void {
    const index = this.documents.findIndex((document) => document.id === id);
    if (index >= 0) this.documents.splice(index, 1);
  }
}
