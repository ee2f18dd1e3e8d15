import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// bench/RESULTS.md is generated between its markers from the raw figures in bench/results.json: the two must
// agree, and the page must read as a decision aid (summary first, every target visible next to its verdict).
const root = fileURLToPath(new URL('../..', import.meta.url));
const results = readFileSync(`${root}bench/RESULTS.md`, 'utf8');
const generated = /<!-- bench:begin[^\n]*-->\n([\s\S]*)<!-- bench:end -->/.exec(results)?.[1] ?? '';

describe('bench/RESULTS.md', () => {
  it('is what bench/lib/report.mjs renders from bench/results.json', () => {
    const rendered = execFileSync(process.execPath, ['bench/lib/report.mjs', '--print'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(generated).toBe(rendered);
  });

  it('starts with the summary of what a user gains', () => {
    const headings = [...results.matchAll(/^##+ (.*)$/gm)].map((match) => match[1]);
    expect(headings[0]).toBe('Summary');
    const summary = generated.slice(0, generated.indexOf('## Per framework'));
    expect(summary).toMatch(/\*\*CPU per cached request\*\*.*Hono [\d.]+ µs/);
    expect(summary).toMatch(/\*\*Throughput with a key service 5 ms away\*\* \| [\d.]+ × /);
    expect(summary).toMatch(/\*\*Cold-key storm\*\*.*\| 1 call to the key service/);
  });

  it("states every target in the row of its verdict, and judges no framework by another one's plugin", () => {
    for (const row of generated.split('\n').filter((line) => /\| (met|\*\*missed\*\*) \|$/.test(line))) {
      expect(row, row).toMatch(/[≥≤<>=]|\| 1 \| met/);
    }
    for (const framework of ['Express', 'Koa']) {
      const section = generated.slice(
        generated.indexOf(`### ${framework} `),
        generated.indexOf('###', generated.indexOf(`### ${framework} `) + 4),
      );
      expect(section).not.toContain('bearer-auth`');
    }
  });

  it('writes differences with their sign and explains it; no figure in brackets', () => {
    expect(generated).toMatch(/A \*\*\+\*\* is CPU spent on top of the reference, a \*\*−\*\* is CPU saved against it/);
    const tableCells = generated
      .split('\n')
      .filter((line) => line.startsWith('|'))
      .flatMap((line) => line.split('|').map((cell) => cell.trim()));
    expect(tableCells.filter((cell) => /^-\d/.test(cell))).toEqual([]);
    expect(tableCells.filter((cell) => /\(\d[\d,.]*\)/.test(cell))).toEqual([]);
  });
});
