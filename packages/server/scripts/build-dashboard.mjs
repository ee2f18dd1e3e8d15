// Builds the key service's web dashboard (src/dashboard/ui/) into dist/dashboard/: one script and one stylesheet,
// minified, named by content hash (served with an immutable Cache-Control), and manifest.json naming them for the
// server. Preact and htm are bundled in: nothing is fetched at run time. `pnpm build` runs it after tsup.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Builds into `outDir` (default dist/dashboard/) and answers the manifest. */
export async function buildDashboard(outDir = here('../dist/dashboard/')) {
  rmSync(outDir, { recursive: true, force: true });
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
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
  const manifest = {
    script: outputs.find((name) => name.endsWith('.js')),
    style: outputs.find((name) => name.endsWith('.css')),
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(`${outDir}/manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = await buildDashboard();
  console.log(`dashboard: ${manifest.script}, ${manifest.style}`);
}
