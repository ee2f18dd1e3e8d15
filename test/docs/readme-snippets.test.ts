import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Every ```ts block of the root README and of every package README is compiled against the packages' sources with the project's own
// compiler options, so a snippet that no longer matches the API fails here instead of in a user's editor.
// Blocks marked ```ts fragment (pieces of an app that import the app's own modules) are left out.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function snippetsOf(readme: string): string[] {
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match) => match[1]!);
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
}

describe('README snippets', () => {
  const readmes = [
    join(root, 'README.md'),
    ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'README.md')),
  ];
  const snippets = readmes.flatMap((path) => {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return [];
    }
    return snippetsOf(text).map((code, index) => ({
      file: join(dirname(path), `readme-snippet-${index}.ts`),
      code,
      name: `${path.slice(root.length + 1)} #${index + 1}`,
    }));
  });

  it('finds snippets in the root and package READMEs', () => {
    expect(snippets.length).toBeGreaterThan(8);
    expect(snippets.some((snippet) => snippet.name === 'README.md #1')).toBe(true);
  });

  it('typechecks every snippet', () => {
    const virtual = new Map(snippets.map((snippet) => [snippet.file, `export {};\n${snippet.code}`]));
    const options = { ...compilerOptions(), noEmit: true, noUnusedLocals: false };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (path) => virtual.get(path) ?? readFile(path);
    host.fileExists = (path) => virtual.has(path) || fileExists(path);
    const program = ts.createProgram([...virtual.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && virtual.has(diagnostic.file.fileName))
      .map((diagnostic) => {
        const snippet = snippets.find((candidate) => candidate.file === diagnostic.file!.fileName)!;
        const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        return `${snippet.name}, line ${line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 120_000);
});
