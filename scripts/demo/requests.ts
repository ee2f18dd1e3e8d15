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
      title: 'rate limit of 3 per 30 s: the 4th answer is 429',
      expect: '200 200 200 429',
      path: '/documents',
      key: keys.limited,
      repeat: 4,
    },
    {
      title: '3 credits: the 4th answer is 429',
      expect: '200 200 200 429',
      path: '/documents',
      key: keys.credits,
      repeat: 4,
    },
  ];
}

/** Marks the status after each answer of a burst, so the body and its status read as one line. */
const BURST_STATUS_MARK = '  <- HTTP ';

/**
 * The curl command for `request` against `api`: `-i` shows the status line, headers (WWW-Authenticate,
 * RateLimit, Retry-After) and the problem body; a burst prints each body followed by its status.
 */
export function curlCommand(request: DemoRequest, api: string): string {
  const parts = [request.repeat ? `curl -s -w "${BURST_STATUS_MARK}%{http_code}\\n"` : 'curl -i'];
  if (request.method) parts.push(`-X ${request.method}`);
  if (request.key) parts.push(`-H "Authorization: Bearer ${request.key}"`);
  if (request.body) parts.push(`-H "Content-Type: application/json" -d '${request.body}'`);
  parts.push(`${api}${request.path}`);
  const command = parts.join(' ');
  return request.repeat ? `for i in $(seq ${request.repeat}); do ${command}; done` : command;
}

/** The statuses in what a `curlCommand` printed, space-separated. */
export function statusesIn(curlOutput: string): string {
  const burst = [...curlOutput.matchAll(new RegExp(`${BURST_STATUS_MARK.trim()} (\\d{3})`, 'g'))].map(
    (match) => match[1],
  );
  if (burst.length > 0) return burst.join(' ');
  return [...curlOutput.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((match) => match[1]).join(' ');
}
