import type { Db } from '../../store/database.js';
import { readJsonColumn, toJsonColumn } from '../../store/json-column.js';
import { prepare } from '../../store/prepare.js';
import type { SqlValue } from '../../store/sqlite/types.js';

/** A stored (opaque) M2M token; JWT tokens are never stored, as at Clerk. */
export interface M2MTokenRecord {
  id: string;
  workspaceId: string;
  /** The machine that created it (`subject` on the wire). */
  machineId: string;
  /** The token, sealed with the server secret (for the pooled answer of `min_remaining_ttl_seconds`). */
  encrypted: string;
  claims: unknown;
  /** The machines it is granted to (the creator's scoped machines when it was created). */
  scopes: string[];
  revoked: boolean;
  revocationReason: string | null;
  expiration: number | null;
  lastUsedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

interface TokenRow {
  id: string;
  workspace_id: string;
  machine_id: string;
  encrypted: string;
  claims: string | null;
  scopes: string;
  revoked: number;
  revocation_reason: string | null;
  expiration: number | null;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

const toRecord = (row: TokenRow): M2MTokenRecord => {
  const scopes = readJsonColumn(row.scopes);
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    machineId: row.machine_id,
    encrypted: row.encrypted,
    claims: readJsonColumn(row.claims),
    scopes: Array.isArray(scopes) ? scopes.filter((scope): scope is string => typeof scope === 'string') : [],
    revoked: row.revoked === 1,
    revocationReason: row.revocation_reason,
    expiration: row.expiration,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
};

export interface M2MTokenFilter {
  workspaceId: string;
  machineId: string;
  includeRevoked: boolean;
  includeExpired: boolean;
  now: number;
}

export class M2MTokenRepository {
  constructor(private readonly db: Db) {}

  insert(
    token: Omit<M2MTokenRecord, 'revoked' | 'revocationReason' | 'lastUsedAt' | 'updatedAt'> & { hash: string },
  ): void {
    prepare(
      this.db,
      `INSERT INTO clerk_m2m_tokens (id, workspace_id, machine_id, hash, encrypted, claims, scopes, expiration,
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      token.id,
      token.workspaceId,
      token.machineId,
      token.hash,
      token.encrypted,
      toJsonColumn(token.claims),
      toJsonColumn(token.scopes),
      token.expiration,
      token.createdAt,
      token.createdAt,
    );
  }

  get(workspaceId: string, id: string): M2MTokenRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM clerk_m2m_tokens WHERE id = ? AND workspace_id = ?').get(
      id,
      workspaceId,
    ) as TokenRow | undefined;
    return row && toRecord(row);
  }

  findByHash(workspaceId: string, hash: string): M2MTokenRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM clerk_m2m_tokens WHERE hash = ? AND workspace_id = ?').get(
      hash,
      workspaceId,
    ) as TokenRow | undefined;
    return row && toRecord(row);
  }

  /**
   * The machine's newest valid token with exactly these claims and scopes that is still valid at `validUntil`
   * (Clerk's token pooling); a token that never expires always qualifies.
   */
  findReusable(
    machineId: string,
    claims: unknown,
    scopes: readonly string[],
    validUntil: number,
  ): M2MTokenRecord | undefined {
    const row = prepare(
      this.db,
      `SELECT * FROM clerk_m2m_tokens WHERE machine_id = ? AND claims IS ? AND scopes = ? AND revoked = 0
       AND (expiration IS NULL OR expiration >= ?) ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    ).get(machineId, toJsonColumn(claims), toJsonColumn(scopes), validUntil) as TokenRow | undefined;
    return row && toRecord(row);
  }

  /** One page of the machine's tokens, newest first, and how many match in all. */
  list(filter: M2MTokenFilter, page: { limit: number; offset: number }): { tokens: M2MTokenRecord[]; total: number } {
    const conditions = ['workspace_id = ?', 'machine_id = ?'];
    const parameters: SqlValue[] = [filter.workspaceId, filter.machineId];
    if (!filter.includeRevoked) conditions.push('revoked = 0');
    if (!filter.includeExpired) {
      conditions.push('(expiration IS NULL OR expiration > ?)');
      parameters.push(filter.now);
    }
    const where = conditions.join(' AND ');
    const total = prepare(this.db, `SELECT COUNT(*) FROM clerk_m2m_tokens WHERE ${where}`)
      .pluck()
      .get(...parameters) as number;
    const rows = prepare(
      this.db,
      `SELECT * FROM clerk_m2m_tokens WHERE ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`,
    ).all(...parameters, page.limit, page.offset) as TokenRow[];
    return { tokens: rows.map(toRecord), total };
  }

  revoke(id: string, reason: string | null, now: number): void {
    prepare(
      this.db,
      'UPDATE clerk_m2m_tokens SET revoked = 1, revocation_reason = ?, updated_at = ? WHERE id = ? AND revoked = 0',
    ).run(reason, now, id);
  }

  touchLastUsed(id: string, now: number): void {
    prepare(this.db, 'UPDATE clerk_m2m_tokens SET last_used_at = ? WHERE id = ?').run(now, id);
  }
}
