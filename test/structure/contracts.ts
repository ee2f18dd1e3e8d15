import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT, type SourceFile } from './source-files.js';

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return false; // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name !== undefined) return false;
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.every((item) => item.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return clause !== undefined && ts.isNamedExports(clause) && clause.elements.every((item) => item.isTypeOnly);
}

/** Whether a statement leaves nothing in the emitted JavaScript. */
function isTypeOnlyStatement(statement: ts.Statement): boolean {
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) return true;
  if (ts.isImportDeclaration(statement)) return isTypeOnlyImport(statement);
  if (ts.isExportDeclaration(statement)) return isTypeOnlyExport(statement);
  // `declare …` emits nothing either.
  return (
    ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)
  );
}

function parse(file: SourceFile): ts.SourceFile {
  return ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
}

/** A contract: a file of types only (no statement that emits JavaScript). */
export function isContract(file: SourceFile): boolean {
  return parse(file).statements.every(isTypeOnlyStatement);
}

/** The files of the same package a file imports or re-exports from, by relative specifier, as repository paths. */
export function relativeImports(file: SourceFile): { specifier: string; path: string }[] {
  const found: { specifier: string; path: string }[] = [];
  for (const statement of parse(file).statements) {
    const specifier =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    if (specifier === undefined || !specifier.startsWith('.')) continue;
    const base = join(ROOT, dirname(file.path), specifier).replace(/\.js$/, '');
    const target = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (target !== undefined) found.push({ specifier, path: relative(ROOT, target).split('\\').join('/') });
  }
  return found;
}
