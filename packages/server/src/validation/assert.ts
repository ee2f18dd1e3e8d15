import { badRequest } from '../api-error.js';
import type { ValidationIssue } from './issues.js';

/** Throws the 400 for these issues, if any. */
export function assertNoIssues(issues: ValidationIssue[]): void {
  if (issues.length === 0) return;
  const first = issues[0] as ValidationIssue;
  throw badRequest(
    `${first.location} ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}.`,
    issues,
  );
}
