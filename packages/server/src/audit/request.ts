import type { IncomingMessage } from 'node:http';
import { auditOrigin } from './origin.js';
import type { AuditRequest } from './types.js';

/** The audit fields of one request of an audited operation; the wire formats make none for other operations. */
export const auditRequest = (request: IncomingMessage, fields: Omit<AuditRequest, 'origin'>): AuditRequest => ({
  ...fields,
  origin: auditOrigin(request),
});
