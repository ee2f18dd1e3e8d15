import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyService } from './fixtures.js';
import type { Harness, RunningHarness } from './fixtures.js';
import { MATTERING_HEADERS, REQUEST_ID, scenarios } from './scenarios.js';
import type { Scenario } from './scenarios.js';

// Every file in ./harnesses/ is an adapter under test: adding an adapter is adding a file there.
const harnessDirectory = new URL('./harnesses/', import.meta.url);
const harnesses: Harness[] = [];
for (const file of readdirSync(harnessDirectory).filter((name) => /\.ts$/.test(name) && !name.endsWith('.d.ts')).sort()) {
  const module = (await import(/* @vite-ignore */ new URL(file, harnessDirectory).href)) as { default?: Harness };
  if (!module.default?.name || typeof module.default.start !== 'function') throw new Error(`harnesses/${file} must export default { name, start }`);
  harnesses.push(module.default);
}

/** Headers every framework adds on its own, or that only describe the connection: never compared. */
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-powered-by', 'etag']);

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

function normaliseBody(text: string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { unparsable: text };
  }
  if (body && typeof body === 'object' && typeof (body as { requestId?: unknown }).requestId === 'string') {
    return { ...body, requestId: REQUEST_ID };
  }
  return body;
}

async function send(harness: RunningHarness, scenario: Scenario, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(harness.url + scenario.route, { headers });
  const answer: Answer = { status: response.status, headers: {}, body: normaliseBody(await response.text()) };
  response.headers.forEach((value, name) => {
    if (!TRANSPORT_HEADERS.has(name)) answer.headers[name] = name === 'content-type' ? value.split(';')[0]!.trim() : value;
  });
  return answer;
}

/** What the table pins: status, the headers that matter (clock-dependent values checked, then masked), body. */
function checked(answer: Answer, scenario: Scenario): Answer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (!MATTERING_HEADERS.test(name)) continue;
    const expectation = scenario.expected.headers[name];
    headers[name] = typeof expectation === 'object' && expectation.test(value) ? expectation.describe : value;
  }
  return { status: answer.status, headers, body: answer.body };
}

function expectedOf(scenario: Scenario): Answer {
  const headers: Record<string, string> = {};
  for (const [name, expectation] of Object.entries(scenario.expected.headers)) headers[name] = typeof expectation === 'string' ? expectation : expectation.describe;
  return { status: scenario.expected.status, headers, body: scenario.expected.body };
}

/** Everything an adapter answered, bar transport headers, with clock-dependent values masked: adapters must agree on all of it. */
function comparable(answer: Answer, scenario: Scenario): Answer {
  return { ...answer, headers: { ...answer.headers, ...checked(answer, scenario).headers } };
}

let keyService: KeyService;
const running = new Map<string, RunningHarness>();

beforeAll(async () => {
  keyService = await KeyService.start();
  for (const harness of harnesses) running.set(harness.name, await harness.start(keyService.config));
});
afterAll(async () => {
  await Promise.all([...running.values()].map((harness) => harness.close()));
  await keyService?.stop();
});

describe.each(scenarios.map((scenario, index) => ({ ...scenario, index })))('$name', (scenario) => {
  const answers = new Map<string, Answer>();

  it.each(harnesses.map((harness) => harness.name))('%s answers as the table says', async (name) => {
    const keys = keyService.issueKeys(`${name}_${scenario.index}`);
    const target = running.get(name)!;
    const headers = scenario.headers?.(keys) ?? {};
    for (let warmUp = 0; warmUp < (scenario.warmUps ?? 0); warmUp++) await send(target, scenario, headers);
    if (scenario.fault) keyService.fault = scenario.fault;
    let answer: Answer;
    try {
      answer = await send(target, scenario, headers);
    } finally {
      keyService.fault = { kind: 'none' };
    }
    answers.set(name, comparable(answer, scenario));
    expect(checked(answer, scenario)).toEqual(expectedOf(scenario));
  });

  it('is answered identically by every adapter', () => {
    expect([...answers.keys()].sort()).toEqual(harnesses.map((harness) => harness.name).sort());
    const [referenceName, reference] = [...answers][0]!;
    for (const [name, answer] of answers) expect({ adapter: name, ...answer }, `${name} differs from ${referenceName}`).toEqual({ adapter: name, ...reference });
  });
});

describe('the conformance table', () => {
  it('runs against every adapter harness', () => {
    expect(harnesses.map((harness) => harness.name)).toEqual(expect.arrayContaining(['express', 'fastify', 'hono', 'koa']));
  });
});
