import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type RunningProcess, run, startProcess, waitForHttp } from 'test-utils';

/** This package's folder: fixtures link it as node_modules/@infisical/next (its built dist). */
export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

const TMP_DIR = join(PACKAGE_DIR, 'test', '.tmp');
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

/**
 * Writes a fixture app under test/.tmp/`name` (inside the workspace, so `next`, `react` and
 * `@infisical/core` resolve from this package's node_modules) with `@infisical/next` linked.
 */
export async function fixtureApp(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(TMP_DIR, name);
  await rm(dir, { recursive: true, force: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await mkdir(join(dir, 'node_modules', '@infisical'), { recursive: true });
  await symlink(PACKAGE_DIR, join(dir, 'node_modules', '@infisical', 'next'), 'dir');
  return dir;
}

/**
 * The files of an app whose `instrumentation.js` calls `register()` with no options, so
 * everything (the leak guard's `INFISICAL_LEAK_GUARD` included) comes from the environment and
 * one build serves every mode. Add the pages.
 */
export const REGISTER_FROM_ENV_APP: Readonly<Record<string, string>> = {
  'package.json': '{ "private": true }',
  'next.config.js': 'module.exports = {};',
  'instrumentation.js': `export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { register: registerInfisical } = await import('@infisical/next/runtime');
  await registerInfisical();
}`,
  'app/layout.js':
    'export default function Layout({ children }) { return <html><body>{children}</body></html>; }',
};

/** Starts `next start` in `dir` on a free port of 127.0.0.1; resolves once `path` answers. */
export async function nextStart(
  dir: string,
  env: Record<string, string | undefined>,
  path = '/',
): Promise<{ url: string; server: RunningProcess }> {
  const port = await freePort();
  const server = startProcess(
    process.execPath,
    [nextBin, 'start', '-H', '127.0.0.1', '-p', `${port}`],
    {
      cwd: dir,
      env: { NEXT_TELEMETRY_DISABLED: '1', ...env },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}${path}`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, server };
}

/** Runs a Node.js script (CommonJS, or ESM with `esm`) in `cwd`; returns exit code and output. */
export function runNode(
  script: string,
  options: { cwd: string; env: Record<string, string>; esm?: boolean },
): Promise<{ code: number | null; output: string }> {
  const args = options.esm ? ['--input-type=module', '-e', script] : ['-e', script];
  return run(process.execPath, args, { cwd: options.cwd, env: options.env });
}

/** Runs `next build` in `dir`. */
export function nextBuild(dir: string, env: Record<string, string>) {
  return run(process.execPath, [nextBin, 'build'], {
    cwd: dir,
    env: { NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
}

/** The JSON a script printed on a line starting with `RESULT `. */
export function resultOf(output: string): Record<string, unknown> {
  const line = output.split('\n').find((text) => text.startsWith('RESULT '));
  if (!line) throw new Error(`no RESULT line in:\n${output}`);
  return JSON.parse(line.slice('RESULT '.length));
}
