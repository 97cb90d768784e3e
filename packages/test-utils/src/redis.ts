/**
 * A real `redis-server` for tests and benches: Debian's (or `REDIS_SERVER_PATH`), on 127.0.0.1,
 * a free port, a temporary directory, no persistence. It can be killed and started again on the
 * same port, as an outage.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, type RunningProcess, startProcess } from './processes.ts';

/** A running `redis-server`. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Runs `redis-cli` against it and returns its output (for raw reads in tests). */
  cli(...args: string[]): string;
  /** Kills the server at once (SIGKILL), as a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** The `redis-server` executable: `REDIS_SERVER_PATH`, else the one on PATH. */
export function redisServerPath(): string {
  const candidates = [
    process.env.REDIS_SERVER_PATH,
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
  ];
  const found = candidates.find((path): path is string => Boolean(path && existsSync(path)));
  if (!found) {
    throw new Error(
      "redis-server not found: install Debian's redis-server (apt-get install redis-server; `node scripts/ensure-system-deps.mjs` does it) or set REDIS_SERVER_PATH.",
    );
  }
  return found;
}

/** Starts a `redis-server` of its own: 127.0.0.1, a free port, a temp dir, `--save '' --appendonly no`. */
export async function startRedis(): Promise<RedisServer> {
  const executable = redisServerPath();
  const cliPath = join(executable, '..', 'redis-cli');
  const dir = mkdtempSync(join(tmpdir(), 'infisical-redis-'));
  const port = await freePort();
  let proc: RunningProcess | undefined;
  const launch = async (): Promise<void> => {
    proc = startProcess(executable, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ]);
    await proc.waitFor(/Ready to accept connections/, 20_000);
  };
  await launch();
  const kill = async (): Promise<void> => {
    const current = proc;
    proc = undefined;
    if (current?.child.pid === undefined) return;
    try {
      process.kill(-current.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await current.exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    cli: (...args) =>
      execFileSync(existsSync(cliPath) ? cliPath : 'redis-cli', ['-p', String(port), ...args], {
        encoding: 'utf8',
      }),
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await proc?.stop();
      proc = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
