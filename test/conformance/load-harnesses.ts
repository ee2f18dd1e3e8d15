import { readdirSync } from 'node:fs';
import type { Harness } from './fixtures.js';

/** Every file in ./harnesses/ is an adapter under test: adding an adapter is adding a file there. */
export async function loadHarnesses(): Promise<Harness[]> {
  const directory = new URL('./harnesses/', import.meta.url);
  const harnesses: Harness[] = [];
  for (const file of readdirSync(directory)
    .filter((name) => /\.ts$/.test(name) && !name.endsWith('.d.ts'))
    .sort()) {
    const module = (await import(/* @vite-ignore */ new URL(file, directory).href)) as { default?: Harness };
    if (!module.default?.name || typeof module.default.start !== 'function')
      throw new Error(`harnesses/${file} must export default { name, start }`);
    harnesses.push(module.default);
  }
  return harnesses;
}
