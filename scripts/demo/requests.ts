/** One request (or a burst of the same request) the demo prints as a curl command, with the answer it gets. */
export interface DemoRequest {
  title: string;
  /** The statuses, space-separated for a burst. */
  expect: string;
  method?: string;
  path: string;
  key?: string;
  body?: string;
  repeat?: number;
  /** What the printed answers must show besides their statuses (headers, say), checked by `--check`. */
  shows?: { what: string; pattern: RegExp }[];
}

export interface DemoKeys {
  reader: string;
  writer: string;
  limited: string;
  credits: string;
}

export function demoRequests(keys: DemoKeys): DemoRequest[] {
  return [
    { title: 'public route', expect: '200', path: '/health' },
    { title: 'no key: WWW-Authenticate and the body say what is missing', expect: '401', path: '/documents' },
    { title: 'read-only key', expect: '200', path: '/documents', key: keys.reader },
    {
      title: 'read-only key may not write (insufficient_scope)',
      expect: '403',
      method: 'POST',
      path: '/documents',
      key: keys.reader,
      body: '{"title":"draft"}',
    },
    {
      title: 'read-write key writes',
      expect: '201',
      method: 'POST',
      path: '/documents',
      key: keys.writer,
      body: '{"title":"draft"}',
    },
    {
      title: 'rate limit of 3 per 30 s: the 4th answer is 429, with Retry-After and RateLimit headers',
      expect: '200 200 200 429',
      path: '/documents',
      key: keys.limited,
      repeat: 4,
      shows: [
        { what: 'Retry-After', pattern: /^retry-after: \d+\r?$/im },
        { what: 'RateLimit-Remaining: 0', pattern: /^ratelimit-remaining: 0\r?$/im },
      ],
    },
    {
      title: '3 credits: the 4th answer is 429 (no Retry-After: credits have no refill time)',
      expect: '200 200 200 429',
      path: '/documents',
      key: keys.credits,
      repeat: 4,
    },
  ];
}

/**
 * The curl command for `request` against `api`: `-i` shows the status line, headers (WWW-Authenticate,
 * RateLimit, Retry-After) and the problem body; a burst shows each answer whole, one after the other.
 */
export function curlCommand(request: DemoRequest, api: string): string {
  const parts = [request.repeat ? 'curl -si' : 'curl -i'];
  if (request.method) parts.push(`-X ${request.method}`);
  if (request.key) parts.push(`-H "Authorization: Bearer ${request.key}"`);
  if (request.body) parts.push(`-H "Content-Type: application/json" -d '${request.body}'`);
  parts.push(`${api}${request.path}`);
  const command = parts.join(' ');
  // `echo`: a body ends without a newline, and the next answer's status line must start a line of its own.
  return request.repeat ? `for i in $(seq ${request.repeat}); do ${command}; echo; done` : command;
}

/** The statuses in what a `curlCommand` printed, space-separated. */
export function statusesIn(curlOutput: string): string {
  return [...curlOutput.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((match) => match[1]).join(' ');
}
