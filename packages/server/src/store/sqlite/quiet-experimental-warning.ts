/**
 * Runs `load` (the first load of `node:sqlite`) without the one warning Node 22 prints for it, "ExperimentalWarning:
 * SQLite is an experimental feature and might change at any time". keyguard picked that driver, not the app, and
 * uses only its basic part (exec, prepare, run/get/all), the same on Node 24 and 26, which print no warning; printed
 * on every `keyguard serve` and in every test worker, it would tell users nothing they can act on. Only that warning, only during the call: any other
 * warning goes through. (Node warns once per feature, so an app loading node:sqlite later is not warned either.)
 */
export function withoutSqliteExperimentalWarning<T>(load: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]): void {
    if (isSqliteExperimentalWarning(warning, rest[0])) return;
    Reflect.apply(emitWarning, process, [warning, ...rest]);
  } as typeof process.emitWarning;
  try {
    return load();
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** `typeOrOptions`: process.emitWarning's second argument, the type or an options object. */
function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning.message;
  const type =
    typeof typeOrOptions === 'string'
      ? typeOrOptions
      : ((typeOrOptions as { type?: unknown } | undefined)?.type ??
        (typeof warning === 'string' ? undefined : warning.name));
  return type === 'ExperimentalWarning' && message.startsWith('SQLite is an experimental feature');
}
