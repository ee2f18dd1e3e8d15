import type { KeyServerLogger } from './logger.js';

/** Writes nothing: the default. */
export const silentLogger: KeyServerLogger = { info() {}, warn() {}, error() {} };

/** One line per event on the console: `keyguard-server <message> key=value …`. */
export const consoleLogger: KeyServerLogger = {
  info: (message, fields) => console.info(line(message, fields)),
  warn: (message, fields) => console.warn(line(message, fields)),
  error: (message, fields) => console.error(line(message, fields)),
};

function line(message: string, fields: Record<string, unknown> = {}): string {
  const parts = Object.entries(fields).map(
    ([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
  );
  return ['keyguard-server', message, ...parts].join(' ');
}
