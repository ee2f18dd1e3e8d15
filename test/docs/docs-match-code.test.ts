import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, deny } from '@keyguard/core';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import { OUTCOMES } from '../../packages/core/src/http/problem-types.js';
import { resolveMetering } from '../../packages/core/src/verifier/metering/options.js';
import { DEFAULT_CACHE_OPTIONS } from '../../packages/core/src/verifier/options.js';
import { registerSecret } from '../support/secrets.js';

// What the READMEs say a name, a list of values or a default is, against what the code says: the unions are read
// from core's sources by the TypeScript compiler (wherever a file moves), the defaults from the functions that apply
// them, and the denials the READMEs list from the table `deny` answers with.
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const rootReadme = read('README.md');
const coreReadme = read('packages/core/README.md');
const expressReadme = read('packages/express/README.md');

/** Every type alias of core's sources (both entry points and what they import), by name. */
function typeAliases(): Map<string, ts.TypeAliasDeclaration> {
  const program = ts.createProgram(
    [join(root, 'packages/core/src/index.ts'), join(root, 'packages/core/src/entries/opentelemetry.ts')],
    {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      module: ts.ModuleKind.ESNext,
    },
  );
  const aliases = new Map<string, ts.TypeAliasDeclaration>();
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.includes('/packages/core/src/')) continue;
    ts.forEachChild(file, (node) => {
      if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node);
    });
  }
  return aliases;
}

const aliases = typeAliases();

/** The string literals of a union type alias such as `type Style = 'a' | 'b'`. */
function unionOf(name: string): string[] {
  const alias = aliases.get(name);
  if (!alias) throw new Error(`no type ${name} in packages/core/src`);
  const members = ts.isUnionTypeNode(alias.type) ? alias.type.types : [alias.type];
  return members.map((member) => {
    if (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal)) return member.literal.text;
    throw new Error(`${name} has a member that is not a string literal`);
  });
}

/** The backticked words of `text`. */
const backticked = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

/** The part of `text` from `start` up to the first `end` after it. */
function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  if (from < 0) throw new Error(`"${start}" is not there any more`);
  const to = text.indexOf(end, from + start.length);
  return text.slice(from, to < 0 ? undefined : to);
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe('Verification.source: one set of names', () => {
  const sources = unionOf('VerificationSource');

  it("the core README's verifier table lists the type's values", () => {
    const row = between(coreReadme, '| `verify(key)` |', '\n');
    const listed = /source: ([^,]+),/.exec(row)?.[1] ?? '';
    expect(sorted([...listed.matchAll(/'([a-z]+)'/g)].map((match) => match[1]!))).toEqual(sorted(sources));
  });

  it("the core README's paragraph on source names each value", () => {
    const paragraph = between(coreReadme, '`source` is `upstream`', '\n\n');
    expect(sorted(backticked(paragraph).filter((word) => sources.includes(word)))).toEqual(sorted(sources));
  });

  it("the OpenTelemetry attribute's values are the type's, with only `negative` added, and the README lists them", () => {
    const telemetry = unionOf('TelemetrySource');
    expect(sorted(telemetry)).toEqual(sorted([...sources, 'negative']));
    const paragraph = between(coreReadme, '`keyguard.verification.source` is', '. The cache hit rate');
    const named = backticked(paragraph).filter((word) => /^[a-z]+$/.test(word));
    expect(sorted(named)).toEqual(sorted([...telemetry, 'cache']));
  });
});

describe('rateLimitHeaders: the styles', () => {
  const styles = unionOf('RateLimitHeaderStyle');

  it('the core README lists every style of RateLimitHeaderStyle', () => {
    const sentence = between(coreReadme, '`rateLimitHeaders` (', ')');
    expect(sorted(backticked(sentence).filter((word) => word !== 'rateLimitHeaders'))).toEqual(sorted(styles));
  });

  it('the Express README lists every style', () => {
    const sentence = between(expressReadme, '`rateLimitHeaders`', ', `onDenied');
    expect(sorted(backticked(sentence).filter((word) => word !== 'rateLimitHeaders'))).toEqual(sorted(styles));
  });
});

describe('defaults the core README states', () => {
  it('batched metering: maxBatch, maxDelayMs, margin and maxUnsettled', () => {
    const settings = resolveMetering({ mode: 'batched' })!;
    const table = between(coreReadme, "| `mode` | `'strict'` |", '\n\n');
    expect(table).toContain(`| \`maxBatch\` | ${settings.maxBatch} |`);
    expect(table).toContain(`| \`maxDelayMs\` | ${settings.maxDelayMs.toLocaleString('en-US')} |`);
    expect(settings.margin).toBe(settings.maxBatch);
    expect(table).toContain('| `margin` | `maxBatch` (its minimum) |');
    expect(settings.maxUnsettled).toBe(10 * settings.maxBatch);
    expect(table).toContain('| `maxUnsettled` | 10 × `maxBatch`');
    // The sizing paragraph's arithmetic follows from the defaults.
    expect(coreReadme).toContain(`limit or credits are ${settings.margin + 1} or fewer`);
    expect(rootReadme).toContain(`limit or credits are ${settings.margin + 1} or fewer`);
    expect(coreReadme).toContain(`at 1,000 a minute, the\ndefaults admit ${1000 - 1 - settings.margin}`);
  });

  it('the cache: sizes and windows', () => {
    const cache = between(coreReadme, '## The cache', '## Reading the key');
    const seconds = (ms: number) => `${ms / 1000} s`;
    expect(cache).toContain(
      `bounded LRU (\`lru-cache\`) of ${DEFAULT_CACHE_OPTIONS.maxEntries.toLocaleString('en-US')} keys`,
    );
    expect(cache).toContain(`smaller LRU (${DEFAULT_CACHE_OPTIONS.maxNegativeEntries.toLocaleString('en-US')})`);
    expect(cache).toContain(`\`freshMs\` (${seconds(DEFAULT_CACHE_OPTIONS.freshMs)})`);
    expect(cache).toContain(`\`staleMs\` (${seconds(DEFAULT_CACHE_OPTIONS.staleMs)} more)`);
    expect(cache).toContain(`\`negativeMs\` (${seconds(DEFAULT_CACHE_OPTIONS.negativeMs)})`);
    expect(cache).toContain(`\`staleIfErrorMs\` (${DEFAULT_CACHE_OPTIONS.staleIfErrorMs / 60_000} min)`);
  });
});

describe('the denials the READMEs list', () => {
  const statuses = sorted(Object.values(OUTCOMES).map((outcome) => String(outcome.status)));
  const rootDenials = between(rootReadme, '## Denials', '\n## ');
  const expressTable = between(expressReadme, '| situation | answer |', '\n\n');

  it('every status deny() answers is in the root README and in the Express table', () => {
    for (const status of statuses) {
      expect(rootDenials, status).toMatch(new RegExp(`\\b${status}\\b`));
      expect(expressTable, status).toMatch(new RegExp(`\\b${status}\\b`));
    }
  });

  it("the codes that are not the caller's doing are named: FORBIDDEN and PROVIDER_MISCONFIGURED", () => {
    for (const code of ['FORBIDDEN', 'PROVIDER_MISCONFIGURED'] as const) {
      expect(OUTCOMES[code]).toBeDefined();
      expect(rootDenials).toContain(`${OUTCOMES[code].status} \`${code}\``);
      expect(expressTable).toContain(code);
    }
  });
});

describe('PROVIDER_MISCONFIGURED, as the root README says', () => {
  let server: KeyServer;
  let url: string;
  let apiId: string;
  let key: string;

  beforeAll(async () => {
    server = createKeyServer();
    const rootKey = server.bootstrap().rootKey!;
    registerSecret(rootKey);
    url = (await server.start()).url;
    const client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
    apiId = (await client.apis.createApi({ name: 'docs-misconfigured' })).data.apiId;
    key = (await client.keys.createKey({ apiId })).data.key;
    registerSecret(key);
    await client.close();
  });
  afterAll(() => server.stop());

  const quiet = { warn: () => undefined, error: () => undefined };

  it('a wrong root key, and one without any verify_key permission: 500 PROVIDER_MISCONFIGURED', async () => {
    const readOnly = server.createRootKey([`api.${apiId}.read_api`]);
    const wrong = 'kgroot_not_a_root_key_of_this_service';
    registerSecret(readOnly, wrong);
    for (const rootKey of [wrong, readOnly]) {
      const verifier = createVerifier({ provider: unkey({ rootKey, baseUrl: url }), logger: quiet });
      try {
        const verification = await verifier.verify(key);
        expect(verification.code).toBe('PROVIDER_MISCONFIGURED');
        const { status, body } = deny({ reason: 'verification', verification });
        expect(status).toBe(500);
        expect(JSON.stringify(body)).not.toContain(key);
      } finally {
        await verifier.close();
      }
    }
  });
});
