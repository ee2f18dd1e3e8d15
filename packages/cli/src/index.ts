export { runCli } from './program.js';
export type { CliIo } from './io.js';
export { processIo } from './io.js';
export { CliError } from './errors.js';
export { DEFAULT_BASE_URL, DEFAULT_PORT } from './client.js';
export { DEFAULT_CLERK_BASE_URL } from './clerk-client.js';
export { INVALID_KEY_EXIT_CODE } from './commands/keys.js';
