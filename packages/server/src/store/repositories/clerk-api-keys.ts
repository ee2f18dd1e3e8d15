import type { Db } from '../database.js';
import { readJsonColumn, toJsonColumn } from '../json-column.js';
import { prepare } from '../prepare.js';
import type { SqlValue } from '../sqlite/types.js';
import type { ClerkApiKeyRecord } from '../types.js';

interface ClerkApiKeyRow {
  id: string;
  workspace_id: string;
  type: string;
  subject: string;
  name: string;
  description: string | null;
  claims: string | null;
  scopes: string;
  created_by: string | null;
  revoked: number;
  revocation_reason: string | null;
  expiration: number | null;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
  encrypted: string;
}

const toRecord = (row: ClerkApiKeyRow): ClerkApiKeyRecord => {
  const scopes = readJsonColumn(row.scopes);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type,
    subject: row.subject,
    name: row.name,
    description: row.description,
    claims: readJsonColumn(row.claims),
    scopes: Array.isArray(scopes) ? scopes.filter((scope): scope is string => typeof scope === 'string') : [],
    createdBy: row.created_by,
    revoked: row.revoked === 1,
    revocationReason: row.revocation_reason,
    expiration: row.expiration,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    encrypted: row.encrypted,
  };
};

/** Not revoked and not expired at `now` (one `?` parameter: now). */
const VALID = 'revoked = 0 AND (expiration IS NULL OR expiration > ?)';

/**
 * A Clerk API key as inserted: the record less what only later events set (revocation, use, update), plus the hash
 * of its secret; `scopes` as given (read-only).
 */
export type NewClerkApiKey = Omit<
  ClerkApiKeyRecord,
  'revoked' | 'revocationReason' | 'lastUsedAt' | 'updatedAt' | 'scopes'
> & {
  hash: string;
  scopes: readonly string[];
};

/** What `PATCH /api_keys/{id}` may change; `undefined` leaves a column as it is. */
export type ClerkApiKeyChanges = Partial<
  Pick<ClerkApiKeyRecord, 'subject' | 'description' | 'claims' | 'expiration'>
> & { scopes?: readonly string[] };

export interface ClerkApiKeyFilter {
  subject: string;
  type?: string;
  /** Also revoked and expired keys. */
  includeInvalid: boolean;
  /** Case-insensitive substring of the name or the description. */
  query?: string;
  now: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

export class ClerkApiKeyRepository {
  constructor(private readonly db: Db) {}

  insert(key: NewClerkApiKey): void {
    prepare(
      this.db,
      `INSERT INTO clerk_api_keys (id, workspace_id, hash, encrypted, type, subject, name, description, claims, scopes, created_by,
         expiration, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      key.id,
      key.workspaceId,
      key.hash,
      key.encrypted,
      key.type,
      key.subject,
      key.name,
      key.description,
      toJsonColumn(key.claims),
      toJsonColumn(key.scopes),
      key.createdBy,
      key.expiration,
      key.createdAt,
      key.createdAt,
    );
  }

  get(workspaceId: string, id: string): ClerkApiKeyRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM clerk_api_keys WHERE id = ? AND workspace_id = ?').get(
      id,
      workspaceId,
    ) as ClerkApiKeyRow | undefined;
    return row && toRecord(row);
  }

  /** The key of the workspace whose secret has this hash. */
  findByHash(workspaceId: string, hash: string): ClerkApiKeyRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM clerk_api_keys WHERE hash = ? AND workspace_id = ?').get(
      hash,
      workspaceId,
    ) as ClerkApiKeyRow | undefined;
    return row && toRecord(row);
  }

  /** One page of the subject's keys, newest first, and how many match in all. */
  list(
    workspaceId: string,
    filter: ClerkApiKeyFilter,
    page: { limit: number; offset: number },
  ): { keys: ClerkApiKeyRecord[]; total: number } {
    const conditions = ['workspace_id = ?', 'subject = ?'];
    const parameters: SqlValue[] = [workspaceId, filter.subject];
    if (filter.type !== undefined) {
      conditions.push('type = ?');
      parameters.push(filter.type);
    }
    if (!filter.includeInvalid) {
      conditions.push(VALID);
      parameters.push(filter.now);
    }
    if (filter.query !== undefined && filter.query !== '') {
      conditions.push("(name LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')");
      const pattern = `%${escapeLike(filter.query)}%`;
      parameters.push(pattern, pattern);
    }
    const where = conditions.join(' AND ');
    const total = prepare(this.db, `SELECT COUNT(*) FROM clerk_api_keys WHERE ${where}`)
      .pluck()
      .get(...parameters) as number;
    const rows = prepare(
      this.db,
      `SELECT * FROM clerk_api_keys WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    ).all(...parameters, page.limit, page.offset) as ClerkApiKeyRow[];
    return { keys: rows.map(toRecord), total };
  }

  /** Whether another valid key of the subject already has this name. */
  validNameTaken(workspaceId: string, subject: string, name: string, now: number, exceptId = ''): boolean {
    const found = prepare(
      this.db,
      `SELECT 1 FROM clerk_api_keys WHERE workspace_id = ? AND subject = ? AND name = ? AND id != ? AND ${VALID} LIMIT 1`,
    ).get(workspaceId, subject, name, exceptId, now);
    return found !== undefined;
  }

  update(id: string, changes: ClerkApiKeyChanges, now: number): void {
    const columns: Record<string, SqlValue | undefined> = {
      subject: changes.subject,
      description: changes.description,
      claims: changes.claims === undefined ? undefined : toJsonColumn(changes.claims),
      scopes: changes.scopes === undefined ? undefined : toJsonColumn(changes.scopes),
      expiration: changes.expiration,
    };
    const changed = Object.entries(columns).filter((entry): entry is [string, SqlValue] => entry[1] !== undefined);
    const sets = ['updated_at = ?', ...changed.map(([column]) => `${column} = ?`)].join(', ');
    prepare(this.db, `UPDATE clerk_api_keys SET ${sets} WHERE id = ?`).run(
      now,
      ...changed.map(([, value]) => value),
      id,
    );
  }

  revoke(id: string, reason: string | null, now: number): void {
    prepare(this.db, 'UPDATE clerk_api_keys SET revoked = 1, revocation_reason = ?, updated_at = ? WHERE id = ?').run(
      reason,
      now,
      id,
    );
  }

  touchLastUsed(id: string, now: number): void {
    prepare(this.db, 'UPDATE clerk_api_keys SET last_used_at = ? WHERE id = ?').run(now, id);
  }

  delete(id: string): void {
    prepare(this.db, 'DELETE FROM clerk_api_keys WHERE id = ?').run(id);
  }
}
