import { format } from 'node:util';

/**
 * Every key, root key and secret a test creates is registered here; the leak watch (leak-watch.ts) fails the
 * test file if any of them shows up in a log line or in the body of an error response.
 */
interface LeakRegistry {
  secrets: Set<string>;
  texts: string[];
}

const globalRegistry = globalThis as typeof globalThis & { __keyguardLeakRegistry?: LeakRegistry };

export function leakRegistry(): LeakRegistry {
  globalRegistry.__keyguardLeakRegistry ??= { secrets: new Set(), texts: [] };
  return globalRegistry.__keyguardLeakRegistry;
}

export function registerSecret(...values: string[]): void {
  for (const value of values) if (value.length >= 8) leakRegistry().secrets.add(value);
}

export function recordOutput(...parts: unknown[]): void {
  leakRegistry().texts.push(format(...parts));
}

/** `text` with every registered key and secret replaced by `[secret]`: for a child's output shown in a failure. */
export function maskSecrets(text: string): string {
  let masked = text;
  for (const secret of leakRegistry().secrets) masked = masked.split(secret).join('[secret]');
  return masked;
}

/** The secrets that appear in any of the texts. */
export function findLeaks(texts: readonly string[], secrets: Iterable<string>): string[] {
  const leaked: string[] = [];
  for (const secret of secrets) if (texts.some((text) => text.includes(secret))) leaked.push(secret);
  return leaked;
}
