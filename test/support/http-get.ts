import { request as httpRequest, type RequestListener, type Server } from 'node:http';
import { LoopbackServer } from './loopback-server.js';

/** A header given as an array is sent once per value; one set to undefined is not sent. */
export type RequestHeaders = Record<string, string | readonly string[] | undefined>;

export interface PlainAnswer {
  status: number;
  /** Lower-case names; a header the server sent twice is joined with ", ". */
  headers: Record<string, string>;
  text: string;
}

/**
 * GET over node:http, which writes a header given as an array once per value, each on its own line, as a hostile
 * or sloppy client may: fetch cannot (its `Headers` joins the values into one line), and neither can supertest's
 * typed API.
 */
export function httpGet(url: string, headers: RequestHeaders = {}): Promise<PlainAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'GET', agent: false });
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) request.setHeader(name, value);
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const answerHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers))
          if (value !== undefined) answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({
          status: response.statusCode ?? 0,
          headers: answerHeaders,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    request.end();
  });
}

/** Serves `app` (a request listener such as an Express app or a Koa callback, or a server) on loopback for one GET. */
export async function getFrom(
  app: RequestListener | Server,
  path: string,
  headers: RequestHeaders = {},
): Promise<PlainAnswer> {
  const server = new LoopbackServer(app);
  const url = await server.start();
  try {
    return await httpGet(url + path, headers);
  } finally {
    await server.stop();
  }
}
