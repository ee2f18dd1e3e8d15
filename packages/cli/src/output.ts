import type { CliIo } from './io.js';

/** Prints `value` as one JSON line (`--json`) or as the human text. */
export function print(io: CliIo, json: boolean, value: unknown, human: () => string): void {
  io.stdout(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}

/** `label: value` lines, skipping undefined values, labels padded to one column. */
export function fields(entries: [string, unknown][]): string {
  const shown = entries.filter(([, value]) => value !== undefined);
  const width = Math.max(0, ...shown.map(([label]) => label.length));
  return shown
    .map(
      ([label, value]) =>
        `${`${label}:`.padEnd(width + 2)}${typeof value === 'string' ? value : JSON.stringify(value)}`,
    )
    .join('\n');
}

/** An aligned text table: a header row, then one row per entry; columns two spaces apart, no trailing blanks. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
