import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PersistedData } from './store.js';

/** Reads persisted data, or undefined when the file does not exist yet. */
export function readData(file: string): PersistedData | undefined {
  if (!existsSync(file)) return undefined;
  let data: PersistedData;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as PersistedData;
  } catch (error) {
    throw new Error(`${file}: the data file is not valid JSON (${(error as Error).message})`);
  }
  if (data?.format !== 'infisical-emulator/1') {
    throw new Error(
      `${file}: not an infisical-emulator data file (expected "format": "infisical-emulator/1")`,
    );
  }
  return data;
}

/** Writes data atomically: to a temporary file beside the target, then renamed over it. */
export function writeData(file: string, data: PersistedData): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
