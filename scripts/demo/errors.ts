/** A failure the person running the demo can fix (a busy port, a missing variable): one line, no stack. */
export class DemoError extends Error {
  readonly code: 'DEMO_PORT_IN_USE' | 'DEMO_BAD_SETTING' | 'DEMO_MISSING_SETTING';

  constructor(code: DemoError['code'], message: string) {
    super(message);
    this.name = 'DemoError';
    this.code = code;
  }
}

/** Turns a listen failure on `port` into the sentence that says which variable moves it. */
export function listenError(error: unknown, what: string, port: number, variable: string): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error;
  return new DemoError(
    'DEMO_PORT_IN_USE',
    `port ${port} (${what}) is in use: pick another with ${variable}, e.g. ${variable}=${port + 1} pnpm demo`,
  );
}
