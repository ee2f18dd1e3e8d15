import { ClerkApiError } from '@keyguard/clerk';
import { KeyguardError } from '@keyguard/core';
import { TransportError } from '@keyguard/core/service';
import { UnkeyApiError } from '@keyguard/unkey';

/** An expected failure: printed as one line, no stack, non-zero exit. */
export class CliError extends KeyguardError {
  static override readonly brand: string = 'keyguard.cli.CliError';
  /** Always `CLI_ERROR`. */
  declare readonly code: 'CLI_ERROR';

  constructor(
    message: string,
    /** The process's exit code. */
    readonly exitCode = 1,
  ) {
    super('CLI_ERROR', message);
    this.name = 'CliError';
  }
}

/** The transport failure behind a client error that got no answer at all (no connection, no answer in time). */
export function transportFailureOf(error: unknown): TransportError | undefined {
  if (error instanceof TransportError) return error;
  const apiError = error instanceof UnkeyApiError || error instanceof ClerkApiError ? error : undefined;
  return apiError?.status === undefined && apiError?.cause instanceof TransportError ? apiError.cause : undefined;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A transport failure said with the URL that was tried and what to do about it: for a loopback URL the likely
 * cause is that no local key service runs, so it suggests `keyguard serve`.
 */
export function unreachableServiceError(error: TransportError, baseUrl: string, baseUrlEnv: string): CliError {
  const url = new URL(baseUrl);
  // Credentials in a URL (user:password@) are secrets too.
  url.username = '';
  url.password = '';
  const where = `the key service at ${url.href.replace(/\/$/, '')}`;
  const local = LOOPBACK_HOSTS.has(url.hostname);
  const pointElsewhere = `point --base-url (or ${baseUrlEnv}) at a running one`;
  switch (error.code) {
    case 'TRANSPORT_CONNECTION_FAILED': {
      const cause = /\(([A-Z_]+)\)/.exec(error.message)?.[1];
      const advice = local
        ? `is it running? Start it with \`keyguard serve\` in another terminal, or ${pointElsewhere}`
        : `check the URL, or ${pointElsewhere}`;
      return new CliError(`cannot reach ${where}${cause ? ` (${cause})` : ''}: ${advice}`);
    }
    case 'TRANSPORT_TIMEOUT':
      return new CliError(`${where} did not answer in time: try again, or wait longer with --timeout <ms>`);
    default:
      return new CliError(`${where} broke off the answer: ${error.message}`);
  }
}

/** One line for any error; secrets (root key, keys given on the command line) are replaced. */
export function describeError(error: unknown, secrets: readonly string[]): string {
  let text: string;
  if (error instanceof CliError) text = error.message;
  else if (
    (error instanceof UnkeyApiError || error instanceof ClerkApiError) &&
    error.status === undefined &&
    /_(TIMEOUT|CONNECTION_FAILED)$/.test(error.code)
  ) {
    text = `cannot reach the key service: ${error.cause instanceof Error ? error.cause.message : error.message}`;
  } else if (error instanceof UnkeyApiError) {
    const status =
      error.status !== undefined ? `HTTP ${error.status}${error.title ? ` ${error.title}` : ''}` : error.title;
    const first = error.errors[0];
    const shown = first && !error.detail.includes(first.message);
    const issue = shown
      ? ` (${first.location}: ${first.message}${error.errors.length > 1 ? `, and ${error.errors.length - 1} more` : ''})`
      : '';
    text = `${error.operation} failed: ${status}: ${error.detail}${issue}`;
  } else if (error instanceof ClerkApiError) {
    const status = error.status !== undefined ? `HTTP ${error.status}` : error.code;
    const [first, ...more] = error.errors;
    const reason = first
      ? `${first.longMessage || first.message}${first.code ? ` (${first.code})` : ''}`
      : error.message;
    text = `clerk ${error.operation} failed: ${status}: ${reason}${more.length > 0 ? `, and ${more.length} more` : ''}`;
  } else if (error instanceof Error) text = `unexpected error: ${error.message}`;
  else text = `unexpected error: ${String(error)}`;
  for (const secret of secrets) if (secret.length > 0) text = text.replaceAll(secret, '[redacted]');
  return text.replace(/\s*\n\s*/g, ' ');
}
