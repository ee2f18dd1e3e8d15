import { ClerkApiError } from '@keyguard/clerk';
import { UnkeyApiError } from '@keyguard/unkey';

/** An expected failure: printed as one line, no stack, non-zero exit. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** One line for any error; secrets (root key, keys given on the command line) are replaced. */
export function describeError(error: unknown, secrets: readonly string[]): string {
  let text: string;
  if (error instanceof CliError) text = error.message;
  else if ((error instanceof UnkeyApiError || error instanceof ClerkApiError) && error.status === undefined && /_(TIMEOUT|CONNECTION_FAILED)$/.test(error.code)) {
    text = `cannot reach the key service: ${error.cause instanceof Error ? error.cause.message : error.message}`;
  } else if (error instanceof UnkeyApiError) {
    const status = error.status !== undefined ? `HTTP ${error.status}${error.title ? ` ${error.title}` : ''}` : error.title;
    const first = error.errors[0];
    const shown = first && !error.detail.includes(first.message);
    const issue = shown ? ` (${first.location}: ${first.message}${error.errors.length > 1 ? `, and ${error.errors.length - 1} more` : ''})` : '';
    text = `${error.operation} failed: ${status}: ${error.detail}${issue}`;
  } else if (error instanceof ClerkApiError) {
    const status = error.status !== undefined ? `HTTP ${error.status}` : error.code;
    const [first, ...more] = error.errors;
    const reason = first ? `${first.longMessage || first.message}${first.code ? ` (${first.code})` : ''}` : error.message;
    text = `clerk ${error.operation} failed: ${status}: ${reason}${more.length > 0 ? `, and ${more.length} more` : ''}`;
  } else if (error instanceof Error) text = `unexpected error: ${error.message}`;
  else text = `unexpected error: ${String(error)}`;
  for (const secret of secrets) if (secret.length > 0) text = text.replaceAll(secret, '[redacted]');
  return text.replace(/\s*\n\s*/g, ' ');
}
