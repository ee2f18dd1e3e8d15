import type { Db } from '../../store/database.js';
import { readJsonColumn, toJsonColumn } from '../../store/json-column.js';
import { prepare } from '../../store/prepare.js';

/** An opaque OAuth access token (`oat_…`) of Clerk's OAuth provider, stored by hash. */
export interface OAuthAccessTokenRecord {
  id: string;
  workspaceId: string;
  clientId: string;
  /** The user the token acts for. */
  subject: string;
  scopes: string[];
  revoked: boolean;
  revocationReason: string | null;
  /** Unix ms; null: never expires. */
  expiration: number | null;
  createdAt: number;
  updatedAt: number;
}

interface AccessTokenRow {
  id: string;
  workspace_id: string;
  client_id: string;
  subject: string;
  scopes: string;
  revoked: number;
  revocation_reason: string | null;
  expiration: number | null;
  created_at: number;
  updated_at: number;
}

const toRecord = (row: AccessTokenRow): OAuthAccessTokenRecord => {
  const scopes = readJsonColumn(row.scopes);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    clientId: row.client_id,
    subject: row.subject,
    scopes: Array.isArray(scopes) ? scopes.filter((scope): scope is string => typeof scope === 'string') : [],
    revoked: row.revoked === 1,
    revocationReason: row.revocation_reason,
    expiration: row.expiration,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
};

export class OAuthAccessTokenRepository {
  constructor(private readonly db: Db) {}

  insert(token: Omit<OAuthAccessTokenRecord, 'revoked' | 'revocationReason' | 'updatedAt'> & { hash: string }): void {
    prepare(
      this.db,
      `INSERT INTO clerk_oauth_access_tokens (id, workspace_id, hash, client_id, subject, scopes, expiration, created_at,
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      token.id,
      token.workspaceId,
      token.hash,
      token.clientId,
      token.subject,
      toJsonColumn(token.scopes),
      token.expiration,
      token.createdAt,
      token.createdAt,
    );
  }

  get(workspaceId: string, id: string): OAuthAccessTokenRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM clerk_oauth_access_tokens WHERE id = ? AND workspace_id = ?').get(
      id,
      workspaceId,
    ) as AccessTokenRow | undefined;
    return row && toRecord(row);
  }

  findByHash(workspaceId: string, hash: string): OAuthAccessTokenRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM clerk_oauth_access_tokens WHERE hash = ? AND workspace_id = ?').get(
      hash,
      workspaceId,
    ) as AccessTokenRow | undefined;
    return row && toRecord(row);
  }

  /** Revokes the workspace's token with this id; false when there is none. */
  revoke(workspaceId: string, id: string, reason: string | null, now: number): boolean {
    const result = prepare(
      this.db,
      `UPDATE clerk_oauth_access_tokens SET revoked = 1, revocation_reason = ?, updated_at = ?
       WHERE id = ? AND workspace_id = ? AND revoked = 0`,
    ).run(reason, now, id, workspaceId);
    return result.changes > 0;
  }
}

const repositories = new WeakMap<Db, OAuthAccessTokenRepository>();

/** The repository over this database (one per database). */
export function oauthAccessTokensOf(db: Db): OAuthAccessTokenRepository {
  let repository = repositories.get(db);
  if (!repository) repositories.set(db, (repository = new OAuthAccessTokenRepository(db)));
  return repository;
}
