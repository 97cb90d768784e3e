import { startEmulator } from '@infisical/emulator';
import { testServerVersion } from 'test-utils';
import type { TestProject } from 'vitest/node';
import { coreSeed } from '../helpers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    emulatorUrl: string;
  }
}

/** The edge VM cannot listen on a socket, so the emulator runs in the Node process around it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startEmulator({
    port: 0,
    seed: coreSeed,
    serverVersion: testServerVersion(project.config.env as NodeJS.ProcessEnv),
  });
  project.provide('emulatorUrl', emulator.url);
  return () => emulator.close();
}
