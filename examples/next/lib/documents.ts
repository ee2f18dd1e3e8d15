export interface Document {
  id: number;
  title: string;
}

// In memory, per server process: this is an example.
export const documents: Document[] = [{ id: 1, title: 'Getting started' }];
