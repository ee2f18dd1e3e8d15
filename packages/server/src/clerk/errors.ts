import type { ClerkErrorItem, OnTheWire } from '@keyguard/clerk';
import type { ApiError, ApiErrorCode } from '../api-error.js';
import type { ValidationIssue } from '../validation/issues.js';
import { REQUIRED_MESSAGE, UNKNOWN_FIELD_MESSAGE } from '../validation/schema.js';

/** One entry of Clerk's `errors[]`, in wire spelling, as `@keyguard/clerk` reads it; `meta` names the parameter at fault. */
export type ClerkErrorEntry = OnTheWire<Omit<ClerkErrorItem, 'meta'>> & { meta?: { param_name: string } };

/** Clerk's error body: `{errors: [...], clerk_trace_id}`. */
export interface ClerkErrorBody {
  errors: ClerkErrorEntry[];
  clerk_trace_id: string;
}

const CLERK_CODE: Partial<Record<ApiErrorCode, string>> = {
  REQUEST_BODY_UNREADABLE: 'malformed_request_body',
  REQUEST_BODY_TOO_LARGE: 'request_body_too_large',
  UNSUPPORTED_CONTENT_TYPE: 'unsupported_content_type',
  ROUTE_NOT_FOUND: 'resource_not_found',
  METHOD_NOT_ALLOWED: 'method_not_allowed',
};

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'authentication_invalid',
  404: 'resource_not_found',
  405: 'method_not_allowed',
  409: 'duplicate_record',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_clerk_error',
  503: 'service_unavailable',
};

const errorCode = (error: ApiError): string =>
  error.clerkCode ?? CLERK_CODE[error.code] ?? CODE_BY_STATUS[error.status] ?? 'unexpected_error';

/** `body.name` → `name`, `query.limit` → `limit`; undefined for the body as a whole or a header. */
const paramName = (location: string): string | undefined => /^(?:body|query)\.(.+)$/.exec(location)?.[1];

function issueCode(issue: ValidationIssue, error: ApiError): string {
  if (issue.clerkCode) return issue.clerkCode;
  if (error.code !== 'INVALID_INPUT') return errorCode(error);
  if (issue.message === REQUIRED_MESSAGE) return 'form_param_missing';
  if (issue.message === UNKNOWN_FIELD_MESSAGE) return 'form_param_unknown';
  return 'form_param_format_invalid';
}

function issueEntry(issue: ValidationIssue, error: ApiError): ClerkErrorEntry {
  const param = paramName(issue.location);
  const code = issueCode(issue, error);
  if (!param) return { message: issue.message, long_message: error.detail, code };
  return {
    message: issue.message,
    long_message: `${param} ${issue.message}${issue.fix ? ` (${issue.fix})` : ''}.`,
    code,
    meta: { param_name: param },
  };
}

/** An `ApiError` in Clerk's error format: one entry per validation issue, or one for the error itself. */
export function clerkErrorBody(error: ApiError, traceId: string): ClerkErrorBody {
  const errors =
    error.issues && error.issues.length > 0
      ? error.issues.map((issue) => issueEntry(issue, error))
      : [{ message: error.title.toLowerCase(), long_message: error.detail, code: errorCode(error) }];
  return { errors, clerk_trace_id: traceId };
}
