/**
 * @module scripts/quickstart/exec
 * Processes for the quick-start harness: commands whose output goes to a log file (shown, its
 * tail, only when they fail), long-running servers in their own process group, free ports, and
 * waiting for a URL to answer.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are what it removes
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** A command failed: its message names the command and carries the log's last lines. */
export class StepError extends Error {}

/** The last `n` lines of a log file. */
export function tail(logFile, n = 40) {
  try {
    const text = readFileSync(logFile, 'utf8').replace(ANSI, '');
    return text.trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

/**
 * Runs a shell command in `cwd`, appending its output to `logFile`; rejects with a StepError
 * after `timeoutMs` or on a non-zero exit.
 */
export function run(command, { cwd, env, logFile, timeoutMs = 600_000 }) {
  appendFileSync(logFile, `\n$ ${command}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const keep = (chunk) => {
      appendFileSync(logFile, chunk);
      output = (output + chunk).slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      appendFileSync(logFile, `\n# timed out after ${timeoutMs / 1000} s\n`);
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new StepError(`\`${command}\` failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Starts a long-running command (a server) in its own process group, output to `logFile`. */
export function start(command, { cwd, env, logFile }) {
  appendFileSync(logFile, `\n$ ${command} &\n`);
  const child = spawn('sh', ['-c', command], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (chunk) => appendFileSync(logFile, chunk));
  child.stderr.on('data', (chunk) => appendFileSync(logFile, chunk));
  return child;
}

/** Ends a process group started here, and waits (bounded) for its leader to exit. */
export async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('close', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {}
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether nothing listens on 127.0.0.1:`port`. */
export function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Waits until `url` answers (any status below 500), or the child exits, or `timeoutMs` passes. */
export async function waitForUrl(url, { child, timeoutMs = 120_000 }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new StepError(
        `the app exited (${child.signalCode ?? `exit ${child.exitCode}`}) before ${url} answered`,
      );
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new StepError(`${url} did not answer within ${timeoutMs / 1000} s`);
}
