import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
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
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
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

/** The demo seed's client secrets, none of which the banner may print unasked. */
const DEMO_SECRETS = ['demo-client-secret', 'demo-viewer-client-secret', 'demo-user-dana-secret'];

/** A GET with a chosen Host header (fetch does not let a test set it). */
function statusWithHost(url: string, host: string): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/api/status', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

const controlStatus = async (url: string, token?: string): Promise<number> =>
  (
    await fetch(`${url}/_emulator/health`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
  ).status;

describe('infisical-emulator CLI', () => {
  it('prints help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--seed <file>');
    expect(stdout).toContain('--data <file>');
  });

  it('--start-down starts unreachable until the faults are cleared', async () => {
    const token = 'start-down-control-token-0001';
    const { stdout } = await runCli(
      ['--port', '0', '--start-down', '--control-token', token],
      /Started down/,
    );
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    await expect(fetch(`${url}/api/status`)).rejects.toThrow();
    const cleared = await fetch(`${url}/_emulator/faults`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(cleared.ok).toBe(true);
    expect((await fetch(`${url}/api/status`)).status).toBe(200);
  });

  it('starts with the demo seed, prints URL and credentials, serves, and stops on SIGTERM', async () => {
    const { stdout, child } = await runCli(['--port', '0'], /Ctrl-C to stop/);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    expect(stdout).toContain('clientId demo-client-id');
    const status = await fetch(`${url}/api/status`);
    expect(status.status).toBe(200);

    // One identity's ready-to-paste lines, the client secret masked; no client secret anywhere.
    expect(stdout).toContain(
      [
        "Paste into your app's environment (identity demo-app-server, project demo-app, environment dev):",
        `  INFISICAL_SITE_URL=${url}`,
        '  INFISICAL_UNIVERSAL_AUTH_CLIENT_ID=demo-client-id',
        '  INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET=********  # masked: run with --print-secrets, or reveal it in the web UI',
        '  INFISICAL_PROJECT_ID=6f0b6a5e-8d4b-4f0e-9c59-2d3c1a7e0001',
        '  INFISICAL_ENVIRONMENT=dev',
      ].join('\n'),
    );
    for (const secret of DEMO_SECRETS) expect(stdout).not.toContain(secret);

    // The generated control token, printed once, in the UI address's fragment too.
    const token = /Control token: (\S+)/.exec(stdout)?.[1] as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stdout).toContain(`Web UI:        ${url}/_emulator/ui#token=${token}`);
    expect(await controlStatus(url as string)).toBe(401);
    expect(await controlStatus(url as string, token)).toBe(200);

    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('takes the control token from the environment without echoing it, and --allowed-host names', async () => {
    const token = 'token-from-the-environment-01';
    const { stdout, child } = await runCli(
      ['--port', '0', '--allowed-host', 'emulator.test,.dev.test', '--allowed-host', 'other.test'],
      /Ctrl-C to stop/,
      { INFISICAL_EMULATOR_CONTROL_TOKEN: token },
    );
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] as string;
    expect(stdout).not.toContain(token);
    expect(stdout).toContain(`Web UI:        ${url}/_emulator/ui\n`);
    expect(stdout).toContain('Control token: the one you set');
    expect(await controlStatus(url, token)).toBe(200);
    for (const host of ['emulator.test:80', 'api.dev.test', 'other.test', 'localhost'])
      expect(await statusWithHost(url, host), host).toBe(200);
    expect(await statusWithHost(url, 'evil.test')).toBe(403);
    child.kill('SIGTERM');
  });

  it('--print-secrets shows the client secret of the one identity it prints, no other', async () => {
    const { stdout, child } = await runCli(
      ['--port', '0', '--print-secrets', '--control-token', 'a-control-token-on-argv-1'],
      /Ctrl-C to stop/,
    );
    expect(stdout).toContain('  INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET=demo-client-secret\n');
    expect(stdout).not.toContain('demo-viewer-client-secret');
    expect(stdout).not.toContain('demo-user-dana-secret');
    expect(stdout).toContain('#token=a-control-token-on-argv-1');
    child.kill('SIGTERM');
  });

  it('says the client secret is unknown when the seed declares none in clear (the emulator keeps hashes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
    try {
      const seed = join(dir, 'seed.yaml');
      writeFileSync(
        seed,
        'projects:\n  - slug: app\n    environments: [dev]\nidentities:\n  - name: hashed\n    universalAuth: { clientId: hashed-id }\n    projects: { app: admin }\n',
      );
      const { stdout, child } = await runCli(
        ['--seed', seed, '--port', '0', '--print-secrets'],
        /Ctrl-C to stop/,
      );
      expect(stdout).toContain(
        '  INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET=  # unknown: the seed declares no client secret of hashed in clear that still logs in (create one over the API)\n',
      );
      child.kill('SIGTERM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns before listening beyond loopback, and refuses a weak control token', async () => {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the start fails after the warning.
    const exposed = await runCli(['--port', '0', '--host', '192.0.2.1']);
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toContain('WARNING: --host 192.0.2.1 listens beyond loopback');
    expect(exposed.stderr).toContain('protected by the control token only');
    expect(exposed.stderr).toContain('127.0.0.1, localhost, [::1], 192.0.2.1');

    const weak = await runCli(['--port', '0', '--control-token', 'short-tok']);
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain('--control-token (or $INFISICAL_EMULATOR_CONTROL_TOKEN) must be');
    expect(weak.stderr).not.toContain('short-tok');
    const badHost = await runCli(['--port', '0', '--allowed-host', 'http://x.test']);
    expect(badHost.code).toBe(2);
    expect(badHost.stderr).toContain('--allowed-host ("http://x.test") must be a host name');
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
    const token = /Control token: (\S+)/.exec(stdout)?.[1] as string;
    const health = await (
      await fetch(`${url}/_emulator/health`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    expect(health.serverVersion).toBe('2024-10');
    // The 2024-10 release has no v4 secrets routes.
    expect((await fetch(`${url}/api/v4/secrets`)).status).toBe(404);
    child.kill('SIGTERM');
    const bad = await runCli(['--server-version', '2023']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--server-version must be latest or 2024-10, got "2023"');
  });
});
