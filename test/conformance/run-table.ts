import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, type RequestHeaders } from '../support/http-get.js';
import { awayFromWindowEdge } from '../support/window-edge.js';
import type { Harness, RunningHarness } from './fixtures.js';
import type { KeyService, ScenarioKeys } from './key-services/key-service.js';
import { MATTERING_HEADERS, REQUEST_ID } from './table.js';
import type { Scenario } from './table.js';

/** Headers every framework adds on its own, or that only describe the connection: never compared. */
const TRANSPORT_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'x-powered-by',
  'etag',
]);

/** A row of any mode's table, for the helpers below, which never build its headers. */
type AnyScenario = Scenario<never>;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The body with what differs on every call masked: the service's request id, and its key ids as the table's. */
function normaliseBody(text: string, tableKeyId: (id: string) => string): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { unparsable: text };
  }
  if (!body || typeof body !== 'object') return body;
  const fields = body as { requestId?: unknown; apiKey?: unknown };
  return {
    ...body,
    ...(typeof fields.requestId === 'string' ? { requestId: REQUEST_ID } : {}),
    ...(typeof fields.apiKey === 'string' ? { apiKey: tableKeyId(fields.apiKey) } : {}),
  };
}

async function send(
  harness: RunningHarness,
  scenario: AnyScenario,
  headers: RequestHeaders,
  tableKeyId: (id: string) => string,
): Promise<Answer> {
  const response = await httpGet(harness.url + scenario.route, headers);
  const answer: Answer = { status: response.status, headers: {}, body: normaliseBody(response.text, tableKeyId) };
  for (const [name, value] of Object.entries(response.headers)) {
    if (!TRANSPORT_HEADERS.has(name))
      answer.headers[name] = name === 'content-type' ? value.split(';')[0]!.trim() : value;
  }
  return answer;
}

/** What the table pins: status, the headers that matter (clock-dependent values checked, then masked), body. */
function checked(answer: Answer, scenario: AnyScenario): Answer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (!MATTERING_HEADERS.test(name)) continue;
    const expectation = scenario.expected.headers[name];
    headers[name] = typeof expectation === 'object' && expectation.test(value) ? expectation.describe : value;
  }
  return { status: answer.status, headers, body: answer.body };
}

function expectedOf(scenario: AnyScenario): Answer {
  const headers: Record<string, string> = {};
  for (const [name, expectation] of Object.entries(scenario.expected.headers))
    headers[name] = typeof expectation === 'string' ? expectation : expectation.describe;
  return { status: scenario.expected.status, headers, body: scenario.expected.body };
}

/** Everything an adapter answered, bar transport headers, with clock-dependent values masked: adapters must agree on all of it. */
function comparable(answer: Answer, scenario: AnyScenario): Answer {
  return { ...answer, headers: { ...answer.headers, ...checked(answer, scenario).headers } };
}

/**
 * Runs every scenario of one provider mode's table against every harness, over real HTTP, then checks that all
 * adapters answered identically.
 */
export function runConformanceTable<Keys extends ScenarioKeys>(
  harnesses: Harness[],
  startKeyService: () => Promise<KeyService<Keys>>,
  scenarios: Scenario<Keys>[],
): void {
  let keyService: KeyService<Keys>;
  const running = new Map<string, RunningHarness>();

  beforeAll(async () => {
    keyService = await startKeyService();
    for (const harness of harnesses) running.set(harness.name, await harness.start(keyService.config));
  });
  afterAll(async () => {
    await Promise.all([...running.values()].map((harness) => harness.close()));
    await keyService?.stop();
  });

  describe.each(scenarios.map((scenario, index) => ({ ...scenario, index })))('$name', (scenario) => {
    const answers = new Map<string, Answer>();

    it.each(harnesses.map((harness) => harness.name))('%s answers as the table says', async (name) => {
      const keys = await keyService.issueKeys(`${name}_${scenario.index}`);
      const target = running.get(name)!;
      const headers = scenario.headers?.(keys) ?? {};
      const tableKeyId = (id: string) => keyService.tableKeyId(id);
      if (scenario.windowMs) await awayFromWindowEdge(scenario.windowMs);
      for (let warmUp = 0; warmUp < (scenario.warmUps ?? 0); warmUp++)
        await send(target, scenario, headers, tableKeyId);
      const callsBefore = keyService.verifyCalls;
      if (scenario.fault) keyService.fault = scenario.fault;
      let answer: Answer;
      try {
        answer = await send(target, scenario, headers, tableKeyId);
      } finally {
        keyService.fault = { kind: 'none' };
      }
      answers.set(name, comparable(answer, scenario));
      expect(checked(answer, scenario)).toEqual(expectedOf(scenario));
      if (scenario.local)
        expect(keyService.verifyCalls, 'verification requests the key service received').toBe(callsBefore);
    });

    it('is answered identically by every adapter', () => {
      expect([...answers.keys()].sort()).toEqual(harnesses.map((harness) => harness.name).sort());
      const [referenceName, reference] = [...answers][0]!;
      for (const [name, answer] of answers)
        expect({ adapter: name, ...answer }, `${name} differs from ${referenceName}`).toEqual({
          adapter: name,
          ...reference,
        });
    });
  });

  describe('the conformance table', () => {
    it('runs against every adapter harness', () => {
      expect(harnesses.map((harness) => harness.name)).toEqual(
        expect.arrayContaining(['express', 'fastify', 'hono', 'koa', 'nest-express', 'nest-fastify']),
      );
    });
  });
}
