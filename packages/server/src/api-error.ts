import { STATUS_CODES } from 'node:http';
import { KeyServerError } from './key-server/errors.js';
import type { ValidationIssue } from './validation/issues.js';

const DOCS = 'https://unkey.com/docs/errors';

/**
 * The stable code of each answer in the error envelope and its `type` URL, shaped like Unkey's
 * (`https://unkey.com/docs/errors/<owner>/<area>/<name>`). One code, one type.
 */
export const ERROR_TYPES = {
  INVALID_INPUT: `${DOCS}/unkey/application/invalid_input`,
  REQUEST_BODY_UNREADABLE: `${DOCS}/user/bad_request/request_body_unreadable`,
  REQUEST_BODY_TOO_LARGE: `${DOCS}/user/bad_request/request_body_too_large`,
  UNSUPPORTED_CONTENT_TYPE: `${DOCS}/user/bad_request/unsupported_content_type`,
  PERMISSIONS_QUERY_SYNTAX_ERROR: `${DOCS}/user/bad_request/permissions_query_syntax_error`,
  AUTHORIZATION_MISSING: `${DOCS}/unkey/authentication/missing`,
  AUTHORIZATION_MALFORMED: `${DOCS}/unkey/authentication/malformed`,
  CREDENTIAL_NOT_FOUND: `${DOCS}/unkey/authentication/key_not_found`,
  INSUFFICIENT_PERMISSIONS: `${DOCS}/unkey/authorization/insufficient_permissions`,
  ROUTE_NOT_FOUND: `${DOCS}/unkey/application/route_not_found`,
  METHOD_NOT_ALLOWED: `${DOCS}/unkey/application/method_not_allowed`,
  API_NOT_FOUND: `${DOCS}/unkey/data/api_not_found`,
  KEY_NOT_FOUND: `${DOCS}/unkey/data/key_not_found`,
  ROLE_NOT_FOUND: `${DOCS}/unkey/data/role_not_found`,
  RATELIMIT_NOT_FOUND: `${DOCS}/unkey/data/ratelimit_not_found`,
  IDENTITY_NOT_FOUND: `${DOCS}/unkey/data/identity_not_found`,
  PERMISSION_NOT_FOUND: `${DOCS}/unkey/data/permission_not_found`,
  RATELIMIT_NAMESPACE_NOT_FOUND: `${DOCS}/unkey/data/ratelimit_namespace_not_found`,
  RATELIMIT_OVERRIDE_NOT_FOUND: `${DOCS}/unkey/data/ratelimit_override_not_found`,
  IDENTITY_ALREADY_EXISTS: `${DOCS}/unkey/data/identity_already_exists`,
  WORKSPACE_RATE_LIMITED: `${DOCS}/user/too_many_requests/workspace_rate_limited`,
  API_ALREADY_EXISTS: `${DOCS}/unkey/data/api_already_exists`,
  PERMISSION_ALREADY_EXISTS: `${DOCS}/unkey/data/permission_already_exists`,
  ROLE_ALREADY_EXISTS: `${DOCS}/unkey/data/role_already_exists`,
  PROTECTED_RESOURCE: `${DOCS}/unkey/application/protected_resource`,
  PRECONDITION_FAILED: `${DOCS}/unkey/application/precondition_failed`,
  SERVICE_UNAVAILABLE: `${DOCS}/unkey/application/service_unavailable`,
  UNEXPECTED_ERROR: `${DOCS}/unkey/application/unexpected_error`,
} as const;

/** The stable `code` of an error answer (`API_NOT_FOUND`, `CREDENTIAL_NOT_FOUND`, …), one per problem type. */
export type ApiErrorCode = keyof typeof ERROR_TYPES;

export interface ApiErrorDetails {
  issues?: ValidationIssue[];
  headers?: Record<string, string>;
  /** Clerk's `errors[].code` for this answer on the Clerk routes, when the status alone does not say it. */
  clerkCode?: string;
}

/**
 * An HTTP answer other than success: thrown by routing, authentication, validation and operations, written by the
 * request pipeline in the route's wire format. Never carries a key.
 */
export class ApiError extends KeyServerError {
  static override readonly brand: string = 'keyguard.server.ApiError';
  declare readonly code: ApiErrorCode;
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly issues?: ValidationIssue[];
  readonly headers?: Record<string, string>;
  readonly clerkCode?: string;

  constructor(status: number, code: ApiErrorCode, detail: string, details: ApiErrorDetails = {}) {
    super(code, detail);
    this.status = status;
    this.type = ERROR_TYPES[code];
    this.title = STATUS_CODES[status] ?? 'Error';
    this.detail = detail;
    this.issues = details.issues;
    this.headers = details.headers;
    this.clerkCode = details.clerkCode;
  }

  /** `error` of Unkey's envelope: `{title, detail, status, type, errors?}` (`errors` on 400 only). */
  body(): { title: string; detail: string; status: number; type: string; errors?: ValidationIssue[] } {
    return {
      title: this.title,
      detail: this.detail,
      status: this.status,
      type: this.type,
      ...(this.status === 400
        ? {
            errors: (this.issues ?? []).map(({ location, message, fix }) => ({
              location,
              message,
              ...(fix ? { fix } : {}),
            })),
          }
        : {}),
    };
  }
}

export const badRequest = (detail: string, issues: ValidationIssue[] = [], code: ApiErrorCode = 'INVALID_INPUT') =>
  new ApiError(400, code, detail, { issues });
export const notFound = (code: ApiErrorCode, detail: string) => new ApiError(404, code, detail);
export const conflict = (code: ApiErrorCode, detail: string) => new ApiError(409, code, detail);
export const preconditionFailed = (code: ApiErrorCode, detail: string) => new ApiError(412, code, detail);
export const forbidden = (detail: string) => new ApiError(403, 'INSUFFICIENT_PERMISSIONS', detail);
