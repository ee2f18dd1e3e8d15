import type { SqlValue } from './sqlite/types.js';

/** One page of a workspace's rows, ordered by id. */
export interface PageOptions {
  limit: number;
  /** The first id of the page (inclusive). */
  cursor?: string;
  /** A case-insensitive substring of any of the searched columns. */
  search?: string;
}

/**
 * The WHERE clause and parameters of one page (`… WHERE ${where} ORDER BY id LIMIT ?`; the limit is the last
 * parameter). `searchColumns` are SQL expressions of this code, never input.
 */
export function pageQuery(
  workspaceId: string,
  options: PageOptions,
  searchColumns: readonly string[],
): { where: string; parameters: SqlValue[] } {
  const conditions = ['workspace_id = ?'];
  const parameters: SqlValue[] = [workspaceId];
  if (options.cursor !== undefined) {
    conditions.push('id >= ?');
    parameters.push(options.cursor);
  }
  if (options.search) {
    conditions.push(`(${searchColumns.map((column) => `instr(lower(${column}), lower(?)) > 0`).join(' OR ')})`);
    for (let index = 0; index < searchColumns.length; index++) parameters.push(options.search);
  }
  parameters.push(options.limit);
  return { where: conditions.join(' AND '), parameters };
}
