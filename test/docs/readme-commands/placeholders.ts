/**
 * The values README commands stand for with a placeholder (`<root key>`, `kgroot_…`, `sk_…`), learned from what
 * earlier commands printed — as the reader copies them from their terminal.
 */
const LEARNED_FROM: [name: string, pattern: RegExp][] = [
  ['rootKey', /root key \(shown once[^)]*\): (\S+)/],
  ['clerkSecretKey', /clerk secret key \(shown once[^)]*\): (\S+)/],
  ['apiId', /^apiId:\s+(\S+)/m],
  ['keyId', /^keyId:\s+(\S+)/m],
  ['key', /^key:\s+(\S+)/m],
  ['clerkKeyId', /^id:\s+(ak_\S+)/m],
  ['clerkSecret', /^secret:\s+(\S+)/m],
  ['rootKeyId', /^rootKeyId:\s+(\S+)/m],
  ['machineId', /^id:\s+(mch_\S+)/m],
  ['machineSecretKey', /^secret key:\s+(ak_\S+)/m],
  ['m2mTokenId', /^id:\s+(mt_[0-9a-f]{32})$/m],
  ['m2mToken', /^token:\s+(mt_\S+)/m],
];

/** Placeholder as written in a README → the learned value it stands for. Longer spellings first. */
const PLACEHOLDERS: [placeholder: string, name: string][] = [
  ['<root key>', 'rootKey'],
  ['kgroot_…', 'rootKey'],
  ['sk_test_…', 'clerkSecretKey'],
  ['<apiId>', 'apiId'],
  ['<keyId>', 'keyId'],
  ['key_…', 'keyId'],
  ['<key>', 'key'],
  ['sk_…', 'key'],
  ['ak_…', 'clerkKeyId'],
  ['<secret>', 'clerkSecret'],
  ['rk_…', 'rootKeyId'],
  ['<machine secret key>', 'machineSecretKey'],
  ['<m2m token>', 'm2mToken'],
  ['mch_…', 'machineId'],
  ['mt_…', 'm2mTokenId'],
];

export class Placeholders {
  private readonly values = new Map<string, string>();

  /** Remembers every value `output` shows (the last one wins, as a reader would copy the latest). */
  learnFrom(output: string): string[] {
    const learned: string[] = [];
    for (const [name, pattern] of LEARNED_FROM) {
      const value = pattern.exec(output)?.[1];
      if (value) {
        this.values.set(name, value);
        learned.push(value);
      }
    }
    return learned;
  }

  /** `text` with every placeholder replaced; throws for one whose value no earlier command printed. */
  fill(text: string): string {
    let filled = text;
    for (const [placeholder, name] of PLACEHOLDERS) {
      if (!filled.includes(placeholder)) continue;
      const value = this.values.get(name);
      if (value === undefined) throw new Error(`${placeholder} is used before any command printed it`);
      filled = filled.replaceAll(placeholder, value);
    }
    const left = /<[a-z][a-z ]*>|\S+_…/i.exec(filled);
    if (left)
      throw new Error(
        `unknown placeholder ${left[0]}: teach test/docs/readme-commands/placeholders.ts where its value comes from`,
      );
    return filled;
  }
}
