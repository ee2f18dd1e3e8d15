/** One step of the schema. Append only: a released migration is never edited, a change is a new entry. */
export interface Migration {
  /** The schema version after this migration (1, 2, …; `schema_version` holds the last one applied). */
  version: number;
  /** What it changes, in a few words. */
  description: string;
  /**
   * The SQL it runs, in one transaction with the version update. Kept as released, whitespace included: SQLite stores
   * each CREATE statement's text in `sqlite_schema` (https://www.sqlite.org/schematab.html).
   */
  sql: string;
}
