import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { ROOT } from './source-files.js';

export interface PackageGraph {
  /** How many files of the package were read: a guard against a check that silently saw nothing. */
  modules: number;
  /** Each import circle as the files along it, the first one repeated at the end. */
  cycles: string[][];
}

/**
 * The import graph of one package's sources, by dependency-cruiser. `tsPreCompilationDeps` makes it read the
 * TypeScript before compilation, so `import type`, `import { type X }` and `import('…')` types are edges too: a
 * circle of types alone is reported. Imports of other packages are left out (`includeOnly`).
 */
export async function packageGraph(name: string): Promise<PackageGraph> {
  const result = await cruise(
    [`packages/${name}/src`],
    {
      baseDir: ROOT,
      tsPreCompilationDeps: true,
      includeOnly: `^packages/${name}/src/`,
      validate: true,
      ruleSet: { forbidden: [{ name: 'no-circular', severity: 'error', from: {}, to: { circular: true } }] },
    },
    undefined,
    { tsConfig: { fileName: `${ROOT}tsconfig.json` } },
  );
  const output = result.output as ICruiseResult;
  const cycles = output.summary.violations
    .filter((violation) => violation.rule.name === 'no-circular')
    .map((violation) => [violation.from, ...(violation.cycle ?? []).map((step) => step.name)]);
  return { modules: output.modules.length, cycles };
}
