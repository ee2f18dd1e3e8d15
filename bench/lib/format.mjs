// How the generated part of bench/RESULTS.md writes figures and tables: one set of helpers for report.mjs and
// metered-report.mjs, so every section writes a number, a difference or a verdict the same way.

export const fixed = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const thousands = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const sign = (value) => (value < 0 ? '−' : '+');
/** A difference with its sign always written, so that `+1.6` and `−4.4` read as differences, not amounts. */
export const signed = (value, digits = 1) =>
  Number.isFinite(value) ? `${sign(value)}${Math.abs(value).toFixed(digits)}` : 'n/a';
/** The same for counts: `+30,115`. */
export const signedThousands = (value) =>
  Number.isFinite(value) ? `${sign(value)}${thousands(Math.abs(value))}` : 'n/a';
export const verdict = (ok) => (ok ? 'met' : '**missed**');

export function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
