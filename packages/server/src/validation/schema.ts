import { isRecord } from '@keyguard/core/service';
import type { ValidationIssue } from './issues.js';
import { inspectJson } from './json-value.js';

/** Reads one value; on failure pushes issues and returns `invalid`. */
export interface Schema<T> {
  readonly describe: string;
  read(value: unknown, location: string, issues: ValidationIssue[]): T | typeof invalid;
}

export const invalid: unique symbol = Symbol('invalid');

/** Messages other wire formats recognise (Clerk's error codes are chosen from them). */
export const REQUIRED_MESSAGE = 'is required';
export const UNKNOWN_FIELD_MESSAGE = 'unknown field';

const typeName = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

function wrongType(location: string, expected: string, value: unknown, issues: ValidationIssue[]): typeof invalid {
  issues.push({ location, message: `expected ${expected}, received ${typeName(value)}` });
  return invalid;
}

export interface StringRules {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Says what the pattern allows, for the message and the fix. */
  patternText?: string;
}

export function string(rules: StringRules = {}): Schema<string> {
  return {
    describe: 'string',
    read(value, location, issues) {
      if (typeof value !== 'string') return wrongType(location, 'string', value, issues);
      const length = [...value].length;
      if (rules.min !== undefined && length < rules.min) {
        issues.push({
          location,
          message: `must be at least ${rules.min} characters long`,
          fix: `use ${rules.min} to ${rules.max ?? 'more'} characters`,
        });
        return invalid;
      }
      if (rules.max !== undefined && length > rules.max) {
        issues.push({
          location,
          message: `must be at most ${rules.max} characters long`,
          fix: `use at most ${rules.max} characters`,
        });
        return invalid;
      }
      if (rules.pattern && !rules.pattern.test(value)) {
        issues.push({
          location,
          message: `does not match the pattern ${rules.pattern.source}`,
          ...(rules.patternText ? { fix: rules.patternText } : {}),
        });
        return invalid;
      }
      return value;
    },
  };
}

export function integer(rules: { min?: number; max?: number } = {}): Schema<number> {
  return {
    describe: 'integer',
    read(value, location, issues) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType(location, 'integer', value, issues);
      if (!Number.isSafeInteger(value)) {
        issues.push({ location, message: 'must be a whole number' });
        return invalid;
      }
      if (rules.min !== undefined && value < rules.min) {
        issues.push({ location, message: `must be at least ${rules.min}` });
        return invalid;
      }
      if (rules.max !== undefined && value > rules.max) {
        issues.push({ location, message: `must be at most ${rules.max}` });
        return invalid;
      }
      return value;
    },
  };
}

/** A finite number (fractions allowed) above `greaterThan` and at most `max`. */
export function number(rules: { greaterThan?: number; max?: number } = {}): Schema<number> {
  return {
    describe: 'number',
    read(value, location, issues) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType(location, 'number', value, issues);
      if (rules.greaterThan !== undefined && value <= rules.greaterThan) {
        issues.push({ location, message: `must be greater than ${rules.greaterThan}` });
        return invalid;
      }
      if (rules.max !== undefined && value > rules.max) {
        issues.push({ location, message: `must be at most ${rules.max}` });
        return invalid;
      }
      return value;
    },
  };
}

export function boolean(): Schema<boolean> {
  return {
    describe: 'boolean',
    read: (value, location, issues) =>
      typeof value === 'boolean' ? value : wrongType(location, 'boolean', value, issues),
  };
}

export function oneOf<const T extends string>(values: readonly T[]): Schema<T> {
  return {
    describe: values.map((value) => JSON.stringify(value)).join(' | '),
    read(value, location, issues) {
      if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
      issues.push({ location, message: `must be one of ${values.map((entry) => `"${entry}"`).join(', ')}` });
      return invalid;
    },
  };
}

/** Problems of a free-form JSON value: too deep (checked first: serializing a deep value exhausts the stack), or too big. */
function checkJsonValue(
  value: unknown,
  location: string,
  maxBytes: number | undefined,
  issues: ValidationIssue[],
): boolean {
  const problem = inspectJson(value, location, 1);
  if (problem) {
    issues.push(problem);
    return false;
  }
  if (maxBytes !== undefined && Buffer.byteLength(JSON.stringify(value) ?? '') > maxBytes) {
    issues.push({ location, message: `must be at most ${maxBytes} bytes as JSON` });
    return false;
  }
  return true;
}

/** Any JSON object (metadata), at most `MAX_JSON_DEPTH` levels deep and bounded in serialized size. */
export function jsonObject(rules: { maxBytes?: number } = {}): Schema<Record<string, unknown>> {
  return {
    describe: 'object',
    read(value, location, issues) {
      if (!isRecord(value)) return wrongType(location, 'object', value, issues);
      return checkJsonValue(value, location, rules.maxBytes, issues) ? value : invalid;
    },
  };
}

/** Any JSON value (including null), at most `MAX_JSON_DEPTH` levels deep and bounded in serialized size. */
export function json(rules: { maxBytes?: number } = {}): Schema<unknown> {
  return {
    describe: 'JSON',
    read: (value, location, issues) => (checkJsonValue(value, location, rules.maxBytes, issues) ? value : invalid),
  };
}

/**
 * A value sent as text (a query parameter) read as a decimal number by `schema`: `"10"` and `"10.0"` are 10 (clients
 * that type the parameter as a float send the latter), `"10.5"` reaches `schema` as 10.5, while `"1e1"`, `"10."`,
 * `" 10"` or `""` are not numbers at all.
 */
export function numberText(schema: Schema<number>): Schema<number> {
  return {
    describe: schema.describe,
    read(value, location, issues) {
      if (typeof value !== 'string' || !/^-?\d{1,16}(?:\.\d{1,16})?$/.test(value)) {
        issues.push({ location, message: 'must be a number written in digits' });
        return invalid;
      }
      return schema.read(Number(value), location, issues);
    },
  };
}

export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return {
    describe: `${schema.describe} | null`,
    read: (value, location, issues) => (value === null ? null : schema.read(value, location, issues)),
  };
}

export function array<T>(item: Schema<T>, rules: { min?: number; max?: number } = {}): Schema<T[]> {
  return {
    describe: `${item.describe}[]`,
    read(value, location, issues) {
      if (!Array.isArray(value)) return wrongType(location, 'array', value, issues);
      if (rules.min !== undefined && value.length < rules.min) {
        issues.push({ location, message: `must contain at least ${rules.min} item(s)` });
        return invalid;
      }
      if (rules.max !== undefined && value.length > rules.max) {
        issues.push({ location, message: `must contain at most ${rules.max} items` });
        return invalid;
      }
      const result: T[] = [];
      let failed = false;
      value.forEach((entry, index) => {
        const read = item.read(entry, `${location}[${index}]`, issues);
        if (read === invalid) failed = true;
        else result.push(read);
      });
      return failed ? invalid : result;
    },
  };
}

export interface Field<T, R extends boolean> {
  schema: Schema<T>;
  required: R;
}

export const required = <T>(schema: Schema<T>): Field<T, true> => ({ schema, required: true });
export const optional = <T>(schema: Schema<T>): Field<T, false> => ({ schema, required: false });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Shape = Record<string, Field<any, boolean>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Field<unknown, true> ? K : never }[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
type FieldType<F> = F extends Field<infer T, boolean> ? T : never;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: FieldType<S[K]> } & {
  [K in OptionalKeys<S>]?: FieldType<S[K]>;
};

/** An object with exactly these fields: unknown fields are rejected (Unkey's `additionalProperties: false`). */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  return {
    describe: 'object',
    read(value, location, issues) {
      if (!isRecord(value)) return wrongType(location, 'object', value, issues);
      const input = value;
      const result: Record<string, unknown> = {};
      let failed = false;
      for (const name of Object.keys(input)) {
        if (!Object.prototype.hasOwnProperty.call(shape, name)) {
          issues.push({
            location: `${location}.${name}`,
            message: UNKNOWN_FIELD_MESSAGE,
            fix: `remove "${name}"; allowed fields: ${Object.keys(shape).join(', ')}`,
          });
          failed = true;
        }
      }
      for (const [name, field] of Object.entries(shape)) {
        const fieldLocation = `${location}.${name}`;
        if (!Object.prototype.hasOwnProperty.call(input, name) || input[name] === undefined) {
          if (field.required) {
            issues.push({
              location: fieldLocation,
              message: REQUIRED_MESSAGE,
              fix: `add "${name}" (${field.schema.describe})`,
            });
            failed = true;
          }
          continue;
        }
        const read = field.schema.read(input[name], fieldLocation, issues);
        if (read === invalid) failed = true;
        else result[name] = read;
      }
      return failed ? invalid : (result as ObjectOf<S>);
    },
  };
}
