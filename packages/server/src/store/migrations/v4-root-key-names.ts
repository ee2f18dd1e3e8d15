import type { Migration } from './types.js';

/** Schema version 4. Released: never edited, a change is a new migration. */
export const rootKeyNames: Migration = {
  version: 4,
  description: 'root keys get an optional name, for `keyguard root-keys list`',
  sql: `
      ALTER TABLE root_keys ADD COLUMN name TEXT;
    `,
};
