import type { Db } from '../../store/database.js';
import { prepare } from '../../store/prepare.js';
import type { SqlValue } from '../../store/sqlite/types.js';

/** A Clerk machine: an identity that mints M2M tokens with its secret key. */
export interface MachineRecord {
  id: string;
  workspaceId: string;
  name: string;
  /** Seconds; the lifetime of its tokens when a create asks for none. */
  defaultTokenTtl: number;
  createdAt: number;
  updatedAt: number;
}

interface MachineRow {
  id: string;
  workspace_id: string;
  name: string;
  default_token_ttl: number;
  created_at: number;
  updated_at: number;
}

const toRecord = (row: MachineRow): MachineRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  defaultTokenTtl: row.default_token_ttl,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Clerk's `order_by` of the machine list: a field, `+` (or nothing) ascending, `-` descending. */
export const MACHINE_ORDERS = ['-created_at', '+created_at', 'created_at', '-name', '+name', 'name'] as const;
export type MachineOrder = (typeof MACHINE_ORDERS)[number];

const ORDER_SQL: Record<MachineOrder, string> = {
  '-created_at': 'created_at DESC, rowid DESC',
  '+created_at': 'created_at, rowid',
  created_at: 'created_at, rowid',
  '-name': 'name DESC, rowid DESC',
  '+name': 'name, rowid',
  name: 'name, rowid',
};

/** Machines, the machines each may reach (its scopes), and machine secret keys (by hash, with a sealed copy). */
export class MachineRepository {
  constructor(private readonly db: Db) {}

  insert(machine: MachineRecord): void {
    prepare(
      this.db,
      `INSERT INTO clerk_machines (id, workspace_id, name, default_token_ttl, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(machine.id, machine.workspaceId, machine.name, machine.defaultTokenTtl, machine.createdAt, machine.updatedAt);
  }

  get(workspaceId: string, id: string): MachineRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM clerk_machines WHERE id = ? AND workspace_id = ?').get(
      id,
      workspaceId,
    ) as MachineRow | undefined;
    return row && toRecord(row);
  }

  /** One page of the workspace's machines (newest first unless ordered); `query` is an exact id or a part of the name. */
  list(
    workspaceId: string,
    page: { limit: number; offset: number; query?: string; orderBy?: MachineOrder },
  ): { machines: MachineRecord[]; total: number } {
    const parameters: SqlValue[] = [workspaceId];
    let where = 'workspace_id = ?';
    if (page.query) {
      where += ' AND (id = ? OR instr(lower(name), lower(?)) > 0)';
      parameters.push(page.query, page.query);
    }
    const total = prepare(this.db, `SELECT COUNT(*) FROM clerk_machines WHERE ${where}`)
      .pluck()
      .get(...parameters) as number;
    const rows = prepare(
      this.db,
      `SELECT * FROM clerk_machines WHERE ${where} ORDER BY ${ORDER_SQL[page.orderBy ?? '-created_at']} LIMIT ? OFFSET ?`,
    ).all(...parameters, page.limit, page.offset) as MachineRow[];
    return { machines: rows.map(toRecord), total };
  }

  addScope(fromMachineId: string, toMachineId: string, now: number): void {
    prepare(
      this.db,
      'INSERT OR IGNORE INTO clerk_machine_scopes (from_machine_id, to_machine_id, created_at) VALUES (?, ?, ?)',
    ).run(fromMachineId, toMachineId, now);
  }

  /** The machines `machineId` may reach, oldest grant first. */
  scopedMachines(machineId: string): MachineRecord[] {
    const rows = prepare(
      this.db,
      `SELECT m.* FROM clerk_machine_scopes s JOIN clerk_machines m ON m.id = s.to_machine_id
       WHERE s.from_machine_id = ? ORDER BY s.created_at, s.rowid`,
    ).all(machineId) as MachineRow[];
    return rows.map(toRecord);
  }

  insertSecretKey(id: string, machineId: string, hash: string, encrypted: string, now: number): void {
    prepare(
      this.db,
      'INSERT INTO clerk_machine_secret_keys (id, machine_id, hash, encrypted, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(id, machineId, hash, encrypted, now);
  }

  /** The machine whose secret key has this hash, when that key has not expired at `now`. */
  findBySecretHash(hash: string, now: number): MachineRecord | undefined {
    const row = prepare(
      this.db,
      `SELECT m.* FROM clerk_machine_secret_keys k JOIN clerk_machines m ON m.id = k.machine_id
       WHERE k.hash = ? AND (k.expires_at IS NULL OR k.expires_at > ?)`,
    ).get(hash, now) as MachineRow | undefined;
    return row && toRecord(row);
  }

  /** Makes every key of the machine that is still valid at `at` expire then (a rotation's grace period). */
  expireSecretKeys(machineId: string, at: number): void {
    prepare(
      this.db,
      'UPDATE clerk_machine_secret_keys SET expires_at = ? WHERE machine_id = ? AND (expires_at IS NULL OR expires_at > ?)',
    ).run(at, machineId, at);
  }

  update(id: string, changes: { name?: string; defaultTokenTtl?: number }, now: number): void {
    prepare(
      this.db,
      `UPDATE clerk_machines SET name = COALESCE(?, name), default_token_ttl = COALESCE(?, default_token_ttl),
       updated_at = ? WHERE id = ?`,
    ).run(changes.name ?? null, changes.defaultTokenTtl ?? null, now, id);
  }

  /** Deletes the machine with its secret keys, scopes (both ways) and tokens (foreign keys cascade). */
  delete(id: string): void {
    prepare(this.db, 'DELETE FROM clerk_machines WHERE id = ?').run(id);
  }

  /** When `fromMachineId` was granted `toMachineId`, or undefined when it was not. */
  scopeCreatedAt(fromMachineId: string, toMachineId: string): number | undefined {
    return prepare(
      this.db,
      'SELECT created_at FROM clerk_machine_scopes WHERE from_machine_id = ? AND to_machine_id = ?',
    )
      .pluck()
      .get(fromMachineId, toMachineId) as number | undefined;
  }

  removeScope(fromMachineId: string, toMachineId: string): boolean {
    return (
      prepare(this.db, 'DELETE FROM clerk_machine_scopes WHERE from_machine_id = ? AND to_machine_id = ?').run(
        fromMachineId,
        toMachineId,
      ).changes > 0
    );
  }

  /** The ids of the machine's secret keys and when each expires (null: never), oldest first; never a hash or a copy. */
  secretKeys(machineId: string): { id: string; expiresAt: number | null }[] {
    return prepare(
      this.db,
      `SELECT id, expires_at AS expiresAt FROM clerk_machine_secret_keys WHERE machine_id = ?
       ORDER BY created_at, rowid`,
    ).all(machineId) as { id: string; expiresAt: number | null }[];
  }

  /** The id of the secret key with this hash, whatever its expiry: who made an audited request. */
  secretKeyIdByHash(hash: string): string | undefined {
    return prepare(this.db, 'SELECT id FROM clerk_machine_secret_keys WHERE hash = ?').pluck().get(hash) as
      string | undefined;
  }

  /** The sealed copy of the machine's newest secret key and the id it is sealed under. */
  sealedSecretKey(machineId: string): { id: string; encrypted: string } | undefined {
    return prepare(
      this.db,
      'SELECT id, encrypted FROM clerk_machine_secret_keys WHERE machine_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
    ).get(machineId) as { id: string; encrypted: string } | undefined;
  }
}
