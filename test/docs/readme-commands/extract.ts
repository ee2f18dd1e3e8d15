/** One command line of a README's shell block, without its trailing comment. */
export interface ReadmeCommand {
  /** `README.md:12`, for messages. */
  where: string;
  text: string;
}

/** The line without a trailing `# comment` (a `#` outside quotes that starts a word). */
export function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '#' && (index === 0 || /\s/.test(line[index - 1] as string))) {
      return line.slice(0, index).trimEnd();
    }
  }
  return line.trimEnd();
}

/**
 * Every command of every ```sh / ```bash / ```shell block, in order; blank and comment-only lines are left out, and a
 * line ending in `\` goes on with the next, as in a shell (the command is named by its first line).
 */
export function commandsOf(markdown: string, file: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let inShell = false;
  let inOther = false;
  let continued: ReadmeCommand | undefined;
  markdown.split('\n').forEach((line, index) => {
    const fence = /^```(\S*)/.exec(line);
    if (fence) {
      if (inShell || inOther) {
        inShell = false;
        inOther = false;
      } else if (['sh', 'bash', 'shell'].includes(fence[1] as string)) inShell = true;
      else inOther = true;
      return;
    }
    if (!inShell) return;
    let text = withoutComment(line).trim();
    if (continued) {
      text = `${continued.text} ${text}`.trim();
      commands.pop();
    }
    const where = continued?.where ?? `${file}:${index + 1}`;
    const goesOn = text.endsWith('\\');
    if (goesOn) text = text.slice(0, -1).trimEnd();
    continued = goesOn ? { where, text } : undefined;
    if (text) commands.push({ where, text });
  });
  return commands;
}
