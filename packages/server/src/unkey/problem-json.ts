/**
 * Errors that Unkey's OpenAPI document declares as `application/problem+json` only, whatever the client's Accept:
 * every 429, and every error of `identities.deleteIdentity`. `@unkey/api` recognises those answers by that content
 * type (anything else becomes its generic `APIError`), so the local service sends it for them.
 */
const PROBLEM_JSON_PATHS = new Set(['/v2/identities.deleteIdentity']);

export function declaredProblemJson(path: string, status: number): boolean {
  return status === 429 || PROBLEM_JSON_PATHS.has(path);
}
