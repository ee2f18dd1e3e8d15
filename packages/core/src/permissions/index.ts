export type { PermissionQuery } from './types.js';
export { PermissionQuerySyntaxError } from './syntax-error.js';
export { parsePermissionQuery, MAX_PERMISSION_QUERY_LENGTH } from './parse.js';
export { evaluatePermissionQuery, matchesPermissions } from './evaluate.js';
export { formatPermissionQuery } from './format.js';
