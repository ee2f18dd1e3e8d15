import { pino } from 'pino';
import type { KeyServerLogger } from './logger.js';

/** `json`: one JSON object per line (pino's format, for log collectors); `pretty`: one readable line per event. */
export type LogFormat = 'json' | 'pretty';
/** Every `LogFormat`, for a command line's choices. */
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** What `pinoLogger()` takes. */
export interface PinoLoggerOptions {
  /**
   * Default `json`.
   * @default 'json'
   */
  format?: LogFormat;
  /**
   * Lowest level written (default `info`).
   * @default 'info'
   */
  level?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * Where lines go (default standard output).
   * @default standard output (fd 1)
   */
  destination?: { write(line: string): unknown };
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const OWN_FIELDS = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname']);

/** pino's JSON line as `12:00:00.000 INFO  request requestId=… status=200`, for a terminal. */
function prettyLines(output: { write(line: string): unknown }): { write(line: string): void } {
  return {
    write(line) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const time = new Date(typeof entry.time === 'string' || typeof entry.time === 'number' ? entry.time : Date.now())
        .toISOString()
        .slice(11, 23);
      const level = (LEVEL_NAMES[entry.level as number] ?? String(entry.level)).padEnd(5);
      const fields = Object.entries(entry)
        .filter(([name]) => !OWN_FIELDS.has(name))
        .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
      output.write(`${[time, level, entry.msg, ...fields].join(' ')}\n`);
    },
  };
}

/**
 * The service's logger on pino: structured lines, in JSON or readable. Lines carry ids and key starts, never a key,
 * root key or secret (nothing the service logs holds one).
 */
export function pinoLogger(options: PinoLoggerOptions = {}): KeyServerLogger {
  const output = options.destination ?? pino.destination({ fd: 1, sync: true });
  const destination = options.format === 'pretty' ? prettyLines(output) : output;
  const log = pino(
    { name: 'keyguard-server', level: options.level ?? 'info', timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
  return {
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}
