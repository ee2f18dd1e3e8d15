// What reading a key takes and gives: shapes only, so that contracts (guard/types.ts) and http/ name them without
// importing the reader.

/** Where a key may be found: the `Authorization: Bearer` header, another header's raw value, or a query parameter. */
export type KeySource = 'bearer' | { header: string } | { query: string };

/** Where and how `readKey` looks for a key. */
export interface ReadKeyOptions {
  /**
   * Places to look, all of them (a key in two places is ambiguous). Default: bearer, then `x-api-key`.
   * @default DEFAULT_KEY_SOURCES
   */
  sources?: readonly KeySource[];
  /**
   * The request's path and query, or an absolute URL; needed only for query sources.
   * @default undefined (query sources find nothing)
   */
  url?: string;
  /**
   * Longest key accepted (default 512, Unkey's limit).
   * @default MAX_KEY_LENGTH (512)
   */
  maxLength?: number;
  /**
   * The request's header lines as received, names and values alternating (Node's `req.rawHeaders`). With it, a
   * credential header sent twice is `ambiguous` even where Node kept only the first line in `headers`.
   * @default undefined (only `headers` is read)
   */
  rawHeaders?: readonly string[];
}

/**
 * Why no key was read. `other_scheme`: no key anywhere, and the Authorization header holds something other than a
 * Bearer credential (`Basic …`, or a key without a scheme); answered like `missing`, with a hint.
 */
export type ReadingFailure = 'missing' | 'other_scheme' | 'malformed' | 'ambiguous' | 'too_long';
/** What `readKey` found: the key and the source it came from, or why there is none. */
export type ReadKeyResult = { key: string; source: KeySource } | { failure: ReadingFailure };
