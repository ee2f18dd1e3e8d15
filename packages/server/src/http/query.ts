import type { ValidationIssue } from '../validation/issues.js';

/** Query parameters as an object of strings for a schema; a parameter given twice is an issue. */
export function queryObject(params: URLSearchParams, issues: ValidationIssue[]): Record<string, string> {
  const result = Object.create(null) as Record<string, string>;
  for (const [name, value] of params) {
    if (Object.prototype.hasOwnProperty.call(result, name)) {
      issues.push({
        location: `query.${name}`,
        message: 'must be given at most once',
        fix: `send one "${name}" parameter`,
      });
      continue;
    }
    result[name] = value;
  }
  return result;
}
