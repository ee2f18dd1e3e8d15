// Builds the key service's web dashboard (src/dashboard/ui/) into dist/dashboard/: one script and one stylesheet,
// minified, named by content hash (served with an immutable Cache-Control), and manifest.json naming them for the
// server. Preact and htm are bundled in: nothing is fetched at run time. `pnpm build` runs it after tsup (whose
// clean empties dist/ first); the tests run it too.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// Each file is written beside its name and renamed into place: test files build in parallel while servers of other
// files read the same folder, and a rename is atomic where a write is not. Nothing is deleted for the same reason.
function writeAtomically(path, contents) {
  const temporary = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** Builds into `outDir` (default dist/dashboard/) and answers the manifest. */
export async function buildDashboard(outDir = here('../dist/dashboard/')) {
  const result = await build({
    // The stylesheet is an entry of its own, not imported by the script: the sources' import graph stays TypeScript.
    entryPoints: { app: here('../src/dashboard/ui/main.ts'), style: here('../src/dashboard/ui/styles.css') },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: true,
    legalComments: 'eof',
    entryNames: '[name]-[hash]',
    outdir: `${outDir}/assets`,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(`${outDir}/assets`, { recursive: true });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  const names = result.outputFiles.map((file) => basename(file.path));
  const manifest = {
    script: names.find((name) => name.endsWith('.js')),
    style: names.find((name) => name.endsWith('.css')),
  };
  writeAtomically(`${outDir}/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = await buildDashboard();
  console.log(`dashboard: ${manifest.script}, ${manifest.style}`);
}
