import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One built file of the dashboard, kept in memory with its gzip form. */
export interface DashboardAsset {
  body: Buffer;
  gzip: Buffer;
  contentType: string;
}

/** The built dashboard: its page's script and style names, and every asset by name. */
export interface DashboardAssets {
  script: string;
  style: string;
  files: ReadonlyMap<string, DashboardAsset>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

// The build (scripts/build-dashboard.mjs) writes dist/dashboard/. From the built package this module is a file of
// dist/; run from its source (the repository's tests) it is src/dashboard/assets.ts, two folders below the package.
const CANDIDATES = ['./dashboard/', '../../dist/dashboard/'];

function findBuild(): string | undefined {
  for (const candidate of CANDIDATES) {
    const folder = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${folder}manifest.json`)) return folder;
  }
  return undefined;
}

/** The built dashboard, read once; `undefined` when it was not built (the routes then answer 503). */
export function loadDashboardAssets(): DashboardAssets | undefined {
  const folder = findBuild();
  if (!folder) return undefined;
  const manifest = JSON.parse(readFileSync(`${folder}manifest.json`, 'utf8')) as { script: string; style: string };
  const files = new Map<string, DashboardAsset>();
  for (const name of readdirSync(`${folder}assets`)) {
    const contentType = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)];
    if (!contentType) continue;
    const body = readFileSync(`${folder}assets/${name}`);
    files.set(name, { body, gzip: gzipSync(body, { level: 9 }), contentType });
  }
  return { script: manifest.script, style: manifest.style, files };
}
