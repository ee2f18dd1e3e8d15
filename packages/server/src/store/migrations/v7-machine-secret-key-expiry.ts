import type { Migration } from './types.js';

/** Schema version 7. Released: never edited, a change is a new migration. */
export const machineSecretKeyExpiry: Migration = {
  version: 7,
  description: 'a machine secret key can expire: the previous key after a rotation, for its grace period',
  sql: `
      ALTER TABLE clerk_machine_secret_keys ADD COLUMN expires_at INTEGER;
    `,
};
