import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

/** Runs the CLI from source; resolves with its output once it prints `until` or exits. */
function runCli(
  args: string[],
  until?: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`CLI did not answer: ${stdout}${stderr}`)),
      15_000,
    );
    const done = (code: number | null) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, child });
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (until?.test(stdout)) done(null);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => done(code));
  });
}

describe('infisical-emulator CLI', () => {
  it('prints help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--seed <file>');
    expect(stdout).toContain('--data <file>');
  });

  it('starts with the demo seed, prints URL and credentials, serves, and stops on SIGTERM', async () => {
    const { stdout, child } = await runCli(['--port', '0'], /Ctrl-C to stop/);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    expect(stdout).toContain('clientId demo-client-id');
    const status = await fetch(`${url}/api/status`);
    expect(status.status).toBe(200);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('fails at start on a malformed seed, naming file, place and problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
    try {
      const seed = join(dir, 'seed.yaml');
      writeFileSync(seed, 'projects:\n  - slug: Not A Slug\n    environments: [dev]\n');
      const { code, stderr } = await runCli(['--seed', seed, '--port', '0']);
      expect(code).toBe(2);
      expect(stderr).toContain(`${seed}:2:`);
      expect(stderr).toContain('projects[0].slug');
      expect(stderr).toContain('lowercase slug');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects unknown options and bad ports', async () => {
    expect((await runCli(['--bogus'])).code).toBe(2);
    const bad = await runCli(['--port', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be');
  });

  it('answers as the server version asked for, and refuses one it does not know', async () => {
    const { stdout, child } = await runCli(
      ['--port', '0', '--server-version', '2024-10'],
      /Ctrl-C to stop/,
    );
    expect(stdout).toContain('(server version 2024-10)');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    const health = await (await fetch(`${url}/_emulator/health`)).json();
    expect(health.serverVersion).toBe('2024-10');
    // The 2024-10 release has no v4 secrets routes.
    expect((await fetch(`${url}/api/v4/secrets`)).status).toBe(404);
    child.kill('SIGTERM');
    const bad = await runCli(['--server-version', '2023']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--server-version must be latest or 2024-10, got "2023"');
  });
});
