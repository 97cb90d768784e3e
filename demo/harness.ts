/**
 * Runs the README's demo (`demo.mjs`) as a process on free ports, for the demo's test and the
 * screenshot script: waits for its table, reads the URLs it printed, and stops it with SIGINT,
 * as Ctrl-C does.
 *
 * @module demo/harness
 */
import { fileURLToPath } from 'node:url';
import { freePort, type RunningProcess, startProcess } from 'test-utils';

const DEMO = fileURLToPath(new URL('./demo.mjs', import.meta.url));

/** The ports a demo run listens on. */
export interface DemoPorts {
  emulator: number;
  dashboard: number;
  vite: number;
  next: number;
  nest: number;
  express: number;
}

/** A running demo. */
export interface DemoRun {
  proc: RunningProcess;
  ports: DemoPorts;
  /** The dashboard's page. */
  dashboardUrl: string;
  /** The rows of the printed table: label and URL. */
  table: { label: string; url: string }[];
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the demo and waits until it printed its table (the first run builds the apps).
 * @param env - more environment, e.g. `INFISICAL_CACHE_TTL`
 */
export async function startDemo(env: Record<string, string> = {}): Promise<DemoRun> {
  const ports: DemoPorts = {
    emulator: await freePort(),
    dashboard: await freePort(),
    vite: await freePort(),
    next: await freePort(),
    nest: await freePort(),
    express: await freePort(),
  };
  const proc = startProcess(process.execPath, [DEMO], {
    env: {
      DEMO_EMULATOR_PORT: String(ports.emulator),
      DEMO_DASHBOARD_PORT: String(ports.dashboard),
      DEMO_VITE_PORT: String(ports.vite),
      DEMO_NEXT_PORT: String(ports.next),
      DEMO_NEST_PORT: String(ports.nest),
      DEMO_EXPRESS_PORT: String(ports.express),
      ...env,
    },
  });
  const stop = async (): Promise<number | null> => {
    proc.child.kill('SIGINT');
    return proc.exited;
  };
  try {
    await proc.waitFor(/Press Ctrl-C to stop everything/, 540_000);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  const printed = proc.output().split('Demo ready')[1]?.split('\n\n')[1] ?? '';
  const table = [...printed.matchAll(/^ {2}(.+?)\s{2,}(http:\/\/127\.0\.0\.1:\d+\S*)/gm)].map(
    (match) => ({ label: String(match[1]), url: String(match[2]) }),
  );
  return { proc, ports, dashboardUrl: `http://127.0.0.1:${ports.dashboard}/`, table, stop };
}
