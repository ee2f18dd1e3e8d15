import type { Db } from './database.js';
import { ApiRepository } from './repositories/apis.js';
import { ClerkApiKeyRepository } from './repositories/clerk-api-keys.js';
import { ClerkSecretKeyRepository } from './repositories/clerk-secret-keys.js';
import { IdentityRepository } from './repositories/identities.js';
import { KeyAccessRepository } from './repositories/key-access.js';
import { KeyRepository } from './repositories/keys.js';
import { PermissionRepository } from './repositories/permissions.js';
import { RatelimitNamespaceRepository } from './repositories/ratelimit-namespaces.js';
import { RatelimitOverrideRepository } from './repositories/ratelimit-overrides.js';
import { RatelimitWindowRepository } from './repositories/ratelimit-windows.js';
import { RatelimitRepository } from './repositories/ratelimits.js';
import { RoleRepository } from './repositories/roles.js';
import { RootKeyRepository } from './repositories/root-keys.js';
import { WorkspaceRepository } from './repositories/workspaces.js';
import { Memos, rememberFor } from './memo.js';
import { TrackedDatabase } from './tracked-database.js';
import { WriteBehind } from './write-behind.js';

/**
 * Every repository over one database, and its transactions. What verifications read is remembered until a watched
 * table changes (memo.ts, tracked-database.ts); what they write is held back a moment (write-behind.ts).
 */
export class Store {
  /** The database the repositories use: see TrackedDatabase. */
  readonly db: TrackedDatabase;
  /** Credits, rate-limit windows and last-used times as verifications change them. */
  readonly usage: WriteBehind;
  private readonly memos = new Memos();
  readonly workspaces: WorkspaceRepository;
  readonly rootKeys: RootKeyRepository;
  readonly apis: ApiRepository;
  readonly identities: IdentityRepository;
  readonly keys: KeyRepository;
  readonly keyAccess: KeyAccessRepository;
  readonly permissions: PermissionRepository;
  readonly roles: RoleRepository;
  readonly ratelimits: RatelimitRepository;
  readonly windows: RatelimitWindowRepository;
  readonly clerkApiKeys: ClerkApiKeyRepository;
  readonly clerkSecretKeys: ClerkSecretKeyRepository;
  readonly ratelimitNamespaces: RatelimitNamespaceRepository;
  readonly ratelimitOverrides: RatelimitOverrideRepository;

  constructor(raw: Db) {
    this.usage = new WriteBehind(raw);
    this.db = new TrackedDatabase(raw, {
      settle: () => {
        if (this.usage.pending) this.usage.flush();
      },
      changed: () => {
        this.memos.clear();
        this.usage.forgetCredits();
      },
      closing: () => {
        this.usage.cancel();
        this.usage.flush();
      },
    });
    rememberFor(this.db, this.memos);
    const db = this.db;
    this.workspaces = new WorkspaceRepository(db);
    this.rootKeys = new RootKeyRepository(db);
    this.apis = new ApiRepository(db);
    this.identities = new IdentityRepository(db);
    this.keys = new KeyRepository(db);
    this.keyAccess = new KeyAccessRepository(db);
    this.permissions = new PermissionRepository(db);
    this.roles = new RoleRepository(db);
    this.ratelimits = new RatelimitRepository(db);
    this.windows = new RatelimitWindowRepository(db, this.usage);
    this.clerkApiKeys = new ClerkApiKeyRepository(db);
    this.clerkSecretKeys = new ClerkSecretKeyRepository(db);
    this.ratelimitNamespaces = new RatelimitNamespaceRepository(db);
    this.ratelimitOverrides = new RatelimitOverrideRepository(db);
  }

  /** Runs `work` in one immediate transaction (rolled back if it throws); called inside another, a savepoint. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work);
  }

  close(): void {
    this.db.close();
  }
}
