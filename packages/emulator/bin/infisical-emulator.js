#!/usr/bin/env node
// The `infisical-emulator` command: runs the built CLI in ../dist. This small file is committed so
// that package managers can link the command before the package is built (in this repository,
// `pnpm install` runs before `pnpm build`); it says what to do when dist/ is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error(
    'infisical-emulator: the package is not built (dist/cli.js is missing). ' +
      'In the repository, run `pnpm build` (or `pnpm --filter @infisical/emulator build`) first.',
  );
  process.exit(1);
}
await import(cli.href);
