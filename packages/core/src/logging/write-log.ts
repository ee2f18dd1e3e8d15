import type { Logger } from '../types.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
type LogFields = Record<string, unknown>;
type LevelMethod = (first: unknown, second?: unknown) => void;

/**
 * pino (Fastify's logger, pino-http's `req.log`) takes the fields first, `log.warn({ … }, message)`; console and
 * winston take the message first. A pino logger is recognised by its `bindings()`.
 */
function takesFieldsFirst(logger: Logger): boolean {
  const candidate = logger as unknown as { child?: unknown; bindings?: unknown };
  return typeof candidate.child === 'function' && typeof candidate.bindings === 'function';
}

/** Whether the logger would write this level (pino says so; others are asked only whether they have the method). */
export function logsAt(logger: Logger, level: LogLevel): boolean {
  const method = (logger as unknown as Record<LogLevel, unknown>)[level];
  if (typeof method !== 'function') return false;
  const isLevelEnabled = (logger as unknown as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return typeof isLevelEnabled === 'function' ? isLevelEnabled.call(logger, level) : true;
}

/** Writes one line at a level the logger has; a level it lacks (console-style loggers need only warn and error) is skipped. */
export function writeLog(logger: Logger, level: LogLevel, message: string, fields: LogFields = {}): void {
  const method = (logger as unknown as Record<LogLevel, LevelMethod | undefined>)[level];
  if (typeof method !== 'function') return;
  if (takesFieldsFirst(logger)) method.call(logger, fields, message);
  else method.call(logger, message, fields);
}

/** A logger with keyguard's argument order (message, fields), whichever the given one takes. */
export function messageFirst(logger: Logger): Logger {
  if (!takesFieldsFirst(logger)) return logger;
  return {
    debug: (message, fields) => writeLog(logger, 'debug', message, fields),
    info: (message, fields) => writeLog(logger, 'info', message, fields),
    warn: (message, fields) => writeLog(logger, 'warn', message, fields),
    error: (message, fields) => writeLog(logger, 'error', message, fields),
  };
}
