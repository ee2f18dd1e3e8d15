import type { ValidationIssue } from '../validation/issues.js';

const DOCS = 'https://unkey.com/docs/errors';

/** `type` URLs of the error envelope, shaped like Unkey's (`https://unkey.com/docs/errors/<owner>/<area>/<name>`). */
export const ERROR_TYPES = {
  invalidInput: `${DOCS}/unkey/application/invalid_input`,
  bodyUnreadable: `${DOCS}/user/bad_request/request_body_unreadable`,
  bodyTooLarge: `${DOCS}/user/bad_request/request_body_too_large`,
  unsupportedContentType: `${DOCS}/user/bad_request/unsupported_content_type`,
  permissionsQuerySyntax: `${DOCS}/user/bad_request/permissions_query_syntax_error`,
  authorizationMissing: `${DOCS}/unkey/authentication/missing`,
  authorizationMalformed: `${DOCS}/unkey/authentication/malformed`,
  rootKeyNotFound: `${DOCS}/unkey/authentication/key_not_found`,
  insufficientPermissions: `${DOCS}/unkey/authorization/insufficient_permissions`,
  routeNotFound: `${DOCS}/unkey/application/route_not_found`,
  methodNotAllowed: `${DOCS}/unkey/application/method_not_allowed`,
  apiNotFound: `${DOCS}/unkey/data/api_not_found`,
  keyNotFound: `${DOCS}/unkey/data/key_not_found`,
  roleNotFound: `${DOCS}/unkey/data/role_not_found`,
  ratelimitNotFound: `${DOCS}/unkey/data/ratelimit_not_found`,
  apiAlreadyExists: `${DOCS}/unkey/data/api_already_exists`,
  permissionAlreadyExists: `${DOCS}/unkey/data/permission_already_exists`,
  roleAlreadyExists: `${DOCS}/unkey/data/role_already_exists`,
  protectedResource: `${DOCS}/unkey/application/protected_resource`,
  preconditionFailed: `${DOCS}/unkey/application/precondition_failed`,
  unexpected: `${DOCS}/unkey/application/unexpected_error`,
} as const;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An answer in the error envelope. Thrown by endpoints, written by the handler. Never carries a key. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly issues?: ValidationIssue[];
  readonly headers?: Record<string, string>;
  /** A machine-readable code for formats that carry one (Clerk's `errors[].code`); not part of Unkey's answer. */
  readonly code?: string;

  constructor(status: number, type: string, detail: string, extra: { issues?: ValidationIssue[]; headers?: Record<string, string>; code?: string } = {}) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.title = TITLES[status] ?? 'Error';
    this.detail = detail;
    this.issues = extra.issues;
    this.headers = extra.headers;
    this.code = extra.code;
  }

  body(): { title: string; detail: string; status: number; type: string; errors?: ValidationIssue[] } {
    return {
      title: this.title,
      detail: this.detail,
      status: this.status,
      type: this.type,
      ...(this.status === 400 ? { errors: this.issues ?? [] } : {}),
    };
  }
}

export const badRequest = (detail: string, issues: ValidationIssue[] = [], type: string = ERROR_TYPES.invalidInput) =>
  new ApiError(400, type, detail, { issues });
export const notFound = (type: string, detail: string) => new ApiError(404, type, detail);
export const conflict = (type: string, detail: string) => new ApiError(409, type, detail);
export const preconditionFailed = (type: string, detail: string) => new ApiError(412, type, detail);
export const forbidden = (detail: string) => new ApiError(403, ERROR_TYPES.insufficientPermissions, detail);
