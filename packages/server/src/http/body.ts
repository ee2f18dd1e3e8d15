import type { IncomingMessage } from 'node:http';
import { inspectJson } from '../validation/json-value.js';
import { ApiError, badRequest } from '../api-error.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = (maxBytes: number) =>
  new ApiError(400, 'REQUEST_BODY_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`, {
    issues: [{ location: 'body', message: `must be at most ${maxBytes} bytes`, fix: 'send a smaller body' }],
  });

const isJsonContentType = (value: string | undefined): boolean => {
  if (!value) return false;
  if (value === 'application/json') return true;
  const mediaType = value.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
};

/** Whether the request carries no body at all (no length, or length 0, and not chunked). */
const hasNoBody = (request: IncomingMessage): boolean =>
  request.headers['transfer-encoding'] === undefined &&
  (request.headers['content-length'] === undefined || request.headers['content-length'] === '0');

export interface BodyRules {
  maxBytes: number;
  /** A request without any body reads as `{}` (a body that is there must still be JSON). */
  optional: boolean;
}

/**
 * Reads and parses a JSON request body of at most `maxBytes`. Wrong content type, an oversized, empty or broken
 * body are 400 answers (Unkey's error list has no 413, so an oversized body is a 400 too).
 */
export async function readJsonBody(request: IncomingMessage, { maxBytes, optional }: BodyRules): Promise<unknown> {
  if (optional && hasNoBody(request)) return {};
  if (!isJsonContentType(request.headers['content-type'])) {
    throw new ApiError(
      400,
      'UNSUPPORTED_CONTENT_TYPE',
      'The request body must be JSON, sent with Content-Type: application/json.',
      {
        issues: [
          {
            location: 'header.Content-Type',
            message: 'must be application/json',
            fix: 'set Content-Type: application/json',
          },
        ],
      },
    );
  }
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await collect(request, maxBytes);
  const text = decodeUtf8(bytes);
  if (text.trim() === '') {
    throw new ApiError(400, 'REQUEST_BODY_UNREADABLE', 'The request body is empty; a JSON object is required.', {
      issues: [{ location: 'body', message: 'is required', fix: 'send a JSON object, e.g. {}' }],
    });
  }
  const value = parseJson(text);
  const problem = inspectJson(value, 'body', 0);
  if (problem) throw badRequest(`${problem.location} ${problem.message}.`, [problem]);
  return value;
}

/**
 * The body's bytes, up to `maxBytes`. Past that it stops reading (the rest is left for the pipeline to discard
 * before it answers) and throws the 400.
 */
function collect(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => request.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      stop();
      request.pause();
      reject(tooLarge(maxBytes));
    };
    const onEnd = () => {
      stop();
      // A small body comes in one chunk: used as it is rather than copied.
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    // The client went away (or broke the stream) before the end: nobody may be left to answer, but the work ends.
    const onGone = () => {
      stop();
      reject(
        new ApiError(400, 'REQUEST_BODY_UNREADABLE', 'The request body could not be read.', {
          issues: [{ location: 'body', message: 'could not be read' }],
        }),
      );
    };
    request.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

/** RFC 8259 §8.1: JSON exchanged between systems is UTF-8. Invalid bytes are refused, not replaced with U+FFFD. */
function decodeUtf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ApiError(400, 'REQUEST_BODY_UNREADABLE', 'The request body is not valid UTF-8.', {
      issues: [{ location: 'body', message: 'is not valid UTF-8', fix: 'send the JSON text encoded as UTF-8' }],
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // The parser's own message may quote the body (and so a key); only its position is kept.
    const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    throw new ApiError(400, 'REQUEST_BODY_UNREADABLE', 'The request body is not valid JSON.', {
      issues: [
        {
          location: 'body',
          message: position ? `is not valid JSON (at position ${position})` : 'is not valid JSON',
          fix: 'send a valid JSON object',
        },
      ],
    });
  }
}
