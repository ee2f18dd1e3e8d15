import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ReflectionKind } from 'typedoc';
import type { DeclarationReflection, Reflection } from 'typedoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOut, generateApiReference, root } from '../../scripts/api-reference.js';
import type { ApiReference } from '../../scripts/api-reference.js';

// docs/api is generated (pnpm docs:api) and committed; this regenerates it once, in a temporary folder, and holds
// the committed copy to it byte for byte, so the reference cannot drift from the TSDoc it is made of. The same run
// fails on any TypeDoc warning (an undocumented export, a broken {@link}, a type used but not exported).

/**
 * The options interfaces whose every optional property must say its default (`@default`): the verifier's, the
 * adapters' (AdapterOptions, and those of a single route or module), the providers' and clients', the fleet's.
 */
const OPTIONS_WITH_DEFAULTS = [
  '@keyguard/core.VerifierOptions',
  '@keyguard/core.CacheOptions',
  '@keyguard/core.MeteringOptions',
  '@keyguard/core.AdapterOptions',
  '@keyguard/core.ReadKeyOptions',
  '@keyguard/core.DenyOptions',
  '@keyguard/core.PermissionCheckOptions',
  '@keyguard/core/service.TransportOptions',
  '@keyguard/core/service.ApiClientOptions',
  '@keyguard/core/opentelemetry.OpenTelemetryOptions',
  '@keyguard/unkey.UnkeyProviderOptions',
  '@keyguard/unkey.UnkeyClientOptions',
  '@keyguard/clerk.ClerkProviderOptions',
  '@keyguard/clerk.ClerkClientOptions',
  '@keyguard/fastify.KeyguardRouteOptions',
  '@keyguard/nestjs.KeyguardModuleExtras',
  '@keyguard/next.ForwardOptions',
  '@keyguard/next.ReadForwardedOptions',
  '@keyguard/redis.RedisFleetOptions',
  '@keyguard/server.KeyServerOptions',
  '@keyguard/server.PinoLoggerOptions',
];

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

/** Whether a reflection, or a signature of it, has an `@example`. */
function hasExample(reflection: Reflection): boolean {
  const declaration = reflection as DeclarationReflection;
  const comments = [reflection.comment, ...(declaration.signatures ?? []).map((signature) => signature.comment)];
  return comments.some((comment) => comment?.getTag('@example') !== undefined);
}

/** The ```ts blocks of every `@example`, named after the declaration they document. */
function examplesOf(reference: ApiReference): { name: string; code: string }[] {
  const examples = new Map<string, string>();
  for (const reflection of Object.values(reference.project.reflections)) {
    const declaration = reflection as DeclarationReflection;
    const comments = [reflection.comment, ...(declaration.signatures ?? []).map((signature) => signature.comment)];
    for (const tag of comments.flatMap((comment) => comment?.getTags('@example') ?? [])) {
      const text = tag.content.map((part) => part.text).join('');
      for (const [, code] of text.matchAll(/```ts\n([\s\S]*?)```/g))
        examples.set(code!, reflection.getFriendlyFullName());
    }
  }
  return [...examples].map(([code, name]) => ({ name, code }));
}

/** Type errors of each example, compiled as a module of its own against the packages' sources (the tsconfig's paths). */
function typeErrorsOf(examples: readonly { name: string; code: string }[]): string[] {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const options = { ...ts.parseJsonConfigFileContent(config.config, ts.sys, root).options, noEmit: true };
  const files = new Map(examples.map((example, index) => [join(root, 'test', `example-${index}.ts`), example]));
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (path) => (files.has(path) ? `export {};\n${files.get(path)!.code}` : readFile(path));
  host.fileExists = (path) => files.has(path) || fileExists(path);
  const program = ts.createProgram([...files.keys()], options, host);
  // Only the examples are checked, not every file they reach: pnpm typecheck does that.
  return [...files].flatMap(([file, example]) => {
    const source = program.getSourceFile(file)!;
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
      (diagnostic) => `${example.name}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
  });
}

describe('the API reference (docs/api)', () => {
  let out: string;
  let reference: ApiReference;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'keyguard-api-'));
    reference = await generateApiReference(out);
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('is generated without a TypeDoc warning', () => {
    expect(reference.problems).toEqual([]);
  });

  it('is committed as generated (run pnpm docs:api if this fails)', () => {
    const generated = filesUnder(out);
    expect(filesUnder(defaultOut), 'the files of docs/api: run pnpm docs:api').toEqual(generated);
    const stale = generated.filter(
      (file) => readFileSync(join(out, file), 'utf8') !== readFileSync(join(defaultOut, file), 'utf8'),
    );
    expect(stale, 'docs/api differs from the TSDoc: run pnpm docs:api').toEqual([]);
  });

  // On the entry's main function, or on the module itself (`@packageDocumentation`) when that function is declared
  // elsewhere.
  it('documents every entry point of every package, each with an @example', () => {
    const modules = reference.project.getChildrenByKind(ReflectionKind.Module);
    expect(modules.map((module) => module.name).sort()).toEqual(reference.entries.map((entry) => entry.module).sort());
    const withoutExample = modules
      .filter((module) => !hasExample(module) && !(module.children ?? []).some(hasExample))
      .map((module) => module.name);
    expect(withoutExample).toEqual([]);
  });

  it('has examples that typecheck against the sources', () => {
    const examples = examplesOf(reference);
    expect(examples.length).toBeGreaterThanOrEqual(reference.entries.length - 3);
    expect(typeErrorsOf(examples), 'each @example compiles as a module of its own: import what it uses').toEqual([]);
  }, 60_000);

  it('gives the @default of every optional option', () => {
    const interfaces = reference.project.getReflectionsByKind(ReflectionKind.Interface) as DeclarationReflection[];
    const found = new Map(interfaces.map((reflection) => [reflection.getFriendlyFullName(), reflection]));
    expect(OPTIONS_WITH_DEFAULTS.filter((name) => !found.has(name))).toEqual([]);
    const missing = OPTIONS_WITH_DEFAULTS.flatMap((name) =>
      (found.get(name)!.children ?? [])
        .filter((property) => property.flags.isOptional && property.comment?.getTag('@default') === undefined)
        .map((property) => `${name}.${property.name}`),
    );
    expect(missing).toEqual([]);
  });
});
