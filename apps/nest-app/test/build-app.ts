import { fileURLToPath } from 'node:url';
import { run } from 'test-utils';

/** Vitest global setup: compiles the app (tsc, ESM with decorator metadata) into dist/. */
export default async function buildApp(): Promise<void> {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const { code, output } = await run('pnpm', ['run', 'build:app'], { cwd });
  if (code !== 0) throw new Error(`nest-app did not build:\n${output}`);
}
