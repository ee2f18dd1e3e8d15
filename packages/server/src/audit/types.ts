/**
 * Who did it: a root key (`/v2`), a Clerk-style secret key (`/v1/api_keys`, `/v1/machines`…) or a machine's secret
 * key (`/m2m_tokens`), by id. Other callers of the operations (a dashboard) name their own type.
 */
export interface AuditActor {
  type: 'root_key' | 'clerk_secret_key' | 'machine_secret_key' | (string & {});
  id: string;
}

/** Where the request came from: the peer's address (no forwarding header is trusted) and its user agent, cut short. */
export interface AuditOrigin {
  remoteAddress: string | null;
  userAgent: string | null;
}

/** What the writer of one request's entry needs besides the operation's own context. */
export interface AuditRequest {
  actor: AuditActor;
  origin: AuditOrigin;
  requestId: string;
  /** The wire name of the operation: `keys.updateKey`, `clerk PATCH /api_keys/:id`. */
  operation: string;
  /** The status a success answers with. */
  successStatus: number;
  log: AuditSink;
}

/** Where entries go: `AuditLog` (SQLite, with retention). */
export interface AuditSink {
  record(entry: AuditRecord): void;
}

/** The target's id and its recorded fields: never a key, a hash, a sealed or a recoverable secret. */
export interface AuditState {
  id: string;
  fields: Record<string, unknown>;
}

/** One entry, as the writer gets it. */
export interface AuditRecord {
  workspaceId: string;
  time: number;
  action: string;
  operation: string;
  actor: AuditActor;
  target: { type: string; id: string | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail: Record<string, unknown> | null;
  status: number;
  errorCode: string | null;
  origin: AuditOrigin;
  requestId: string;
}

/**
 * One entry of `POST /v2/keyguard.listAuditLogs`. `before`/`after` hold only the fields that changed when both
 * exist; one of them is null for a create or a delete, both for a failure.
 */
export interface AuditLogEntry {
  id: string;
  time: number;
  action: string;
  operation: string;
  actor: AuditActor;
  target: { type: string; id: string | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail?: Record<string, unknown>;
  status: number;
  errorCode?: string;
  remoteAddress: string | null;
  userAgent: string | null;
  requestId: string;
}

/** How much of the log is kept (`createKeyServer`'s `auditMaxEntries`, `auditMaxAgeMs`). */
export interface AuditRetention {
  maxEntries: number;
  maxAgeMs: number;
}
