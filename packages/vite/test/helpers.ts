import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Emulator } from '@infisical/emulator';
import { demoLoadOptions } from 'test-utils';
import {
  defaultClientConditions,
  defaultServerConditions,
  type InlineConfig,
  type Plugin,
} from 'vite';
import type { InfisicalViteOptions } from '../src/index.ts';

/** This package's folder. */
export const PACKAGE_DIR = resolve(import.meta.dirname, '..');

/** Plugin options pointing at the emulator's demo project (dev), ignoring the machine's env. */
export function demoOptions(
  emulator: Emulator,
  extra: InfisicalViteOptions = {},
): InfisicalViteOptions {
  return {
    ...demoLoadOptions(emulator.url),
    ...extra,
  };
}

/**
 * A throwaway Vite project: the given files, with `node_modules/@infisical/vite` linking to this
 * package (resolved to its TypeScript source) and `node_modules/vite` to the Vite it tests with.
 */
export function makeProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'infisical-vite-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'node_modules/@infisical'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(root, 'node_modules/@infisical/vite'), 'dir');
  symlinkSync(join(PACKAGE_DIR, 'node_modules/vite'), join(root, 'node_modules/vite'), 'dir');
  return root;
}

/** An inline Vite config for a project made by {@link makeProject}. */
export function projectConfig(
  root: string,
  plugins: Plugin[],
  extra: InlineConfig = {},
): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'silent',
    plugins,
    resolve: { conditions: ['@infisical/source', ...defaultClientConditions] },
    ssr: { resolve: { conditions: ['@infisical/source', ...defaultServerConditions] } },
    ...extra,
  };
}

/** Removes a project made by {@link makeProject}. */
export function removeProject(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** Restores `process.env` to what it was when this was called (the plugin writes into it). */
export function snapshotEnv(): () => void {
  const before = { ...process.env };
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
    Object.assign(process.env, before);
  };
}

/** Waits until `check` returns a truthy value (polling), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
