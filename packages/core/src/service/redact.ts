/** Removes secrets (the credential, a key being looked up) from text a server sent, in case it echoed them. */
export type Redact = (text: string) => string;

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** A redactor for these secrets; empty strings are ignored (replacing "" would riddle every text). */
export function redactorFor(secrets: readonly string[]): Redact {
  const present = secrets.filter((secret) => secret.length > 0);
  return (text) => present.reduce((result, secret) => result.replaceAll(secret, REDACTED), text);
}

/** Redacts every string inside a JSON value (keys included), for free-form fields such as an error's `meta`. */
export function redactJson(value: unknown, redact: Redact): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, redact));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactJson(item, redact)]));
  }
  return value;
}
