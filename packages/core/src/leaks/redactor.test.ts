import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedactor } from './redactor.js';

const SECRET = 'fake-db-pass"w0rd/9';
const TOKEN = 'fake-access-token-7c1e';

/** A console writing into a string, as Node's own console does. */
function capturedConsole(): { console: Console; output: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return {
    console: new Console({ stdout: stream, stderr: stream, colorMode: false }),
    output: () => text,
  };
}

/** A console that records its calls' arguments. */
type Log = (...args: unknown[]) => void;

function recordingConsole(): {
  console: { log: Log; info: Log; warn: Log; error: Log; debug: Log; trace: Log };
  calls: unknown[][];
} {
  const calls: unknown[][] = [];
  const record = (...args: unknown[]) => {
    calls.push(args);
  };
  return {
    console: {
      log: record,
      info: record,
      warn: record,
      error: record,
      debug: record,
      trace: record,
    },
    calls,
  };
}

describe('createRedactor: redact', () => {
  const redactor = createRedactor({
    privateValues: { DB_PASSWORD: SECRET, SHORT: 'abc' },
    credentials: [{ label: 'access token', value: TOKEN }],
  });

  it('replaces every form of a value with [redacted:KEY]', () => {
    const lines = [
      `raw ${SECRET}`,
      `json ${JSON.stringify({ password: SECRET })}`,
      `url ?p=${encodeURIComponent(SECRET)}`,
      `basic ${btoa(`user:${SECRET}`)}`,
      `bearer ${TOKEN}`,
    ];
    expect(redactor.redact(lines.join('\n')).split('\n')).toEqual([
      'raw [redacted:DB_PASSWORD]',
      'json {"password":"[redacted:DB_PASSWORD]"}',
      'url ?p=[redacted:DB_PASSWORD]',
      // The base64 characters that mix in the neighbours' bits stay.
      expect.stringMatching(/^basic dXNlcjpm?\[redacted:DB_PASSWORD\]\w{0,2}$/),
      'bearer [redacted:access token]',
    ]);
    expect(redactor.tooShort).toEqual(['SHORT']);
  });

  it('returns the very same string when there is nothing to redact', () => {
    const line = 'GET /health 200 3ms user=abc';
    expect(redactor.redact(line)).toBe(line);
  });

  it('merges overlapping values into one redaction naming both', () => {
    const overlapping = createRedactor({
      privateValues: { A: 'fake-abc-secret', B: 'secret-tail-xyz' },
    });
    expect(overlapping.redact('x fake-abc-secret-tail-xyz y')).toBe('x [redacted:A,B] y');
  });

  it('follows update()', () => {
    const changing = createRedactor({ privateValues: { K: 'fake-old-value-1' } });
    changing.update({ privateValues: { K: 'fake-new-value-2' } });
    expect(changing.redact('fake-old-value-1 fake-new-value-2')).toBe(
      'fake-old-value-1 [redacted:K]',
    );
  });

  it('redacts log arguments: strings, errors (message and stack), objects by their JSON', () => {
    const error = new Error(`login failed for ${SECRET}`);
    const redactedError = redactor.redactValue(error) as string;
    expect(redactedError).toMatch(/^Error: login failed for \[redacted:DB_PASSWORD\]\n\s+at /);
    const cyclic: Record<string, unknown> = { password: SECRET, size: 10n };
    cyclic.self = cyclic;
    expect(redactor.redactValue(cyclic)).toBe(
      '{"password":"[redacted:DB_PASSWORD]","size":"10","self":"[Circular]"}',
    );
    const clean = { ok: true };
    expect(redactor.redactValue(clean)).toBe(clean);
    expect(redactor.redactValue(42)).toBe(42);
    expect(redactor.redactValue(new Error('nothing here'))).toBeInstanceOf(Error);
  });
});

describe('createRedactor: installConsole (Node)', () => {
  const redactor = createRedactor({ privateValues: { DB_PASSWORD: SECRET } });

  it('redacts what a console prints: format strings, objects, errors and their stacks', () => {
    const { console: target, output } = capturedConsole();
    const uninstall = redactor.installConsole(target);
    target.log('connecting with %s', SECRET);
    target.info({ db: { password: SECRET, port: 5432 } });
    target.warn(`retrying ${JSON.stringify(SECRET)}`);
    target.error(new Error(`cannot log in as ${SECRET}`, { cause: new Error(SECRET) }));
    target.debug('plain', 1, { ok: true });
    target.trace('tracing', SECRET);
    uninstall();
    target.log('after', SECRET);
    const text = output();
    expect(text.split(SECRET)).toHaveLength(2); // only the line printed after uninstall
    expect(text).toContain('connecting with [redacted:DB_PASSWORD]');
    expect(text).toContain("password: '[redacted:DB_PASSWORD]'");
    expect(text).toContain('retrying "[redacted:DB_PASSWORD]"');
    expect(text).toContain('Error: cannot log in as [redacted:DB_PASSWORD]');
    expect(text).toMatch(/\[cause\]: Error: \[redacted:DB_PASSWORD\]/);
    expect(text).toContain('plain 1 { ok: true }');
    expect(text).toMatch(/Trace: tracing \[redacted:DB_PASSWORD\]\n\s+at /);
  });

  it('passes the original arguments through when they hold no secret', () => {
    const { console: target, calls } = recordingConsole();
    const uninstall = redactor.installConsole(target);
    const payload = { user: 'ada' };
    target.log('hello', payload);
    target.log('only a string');
    target.log();
    uninstall();
    expect(calls).toEqual([['hello', payload], ['only a string'], []]);
    expect(calls[0]?.[1]).toBe(payload);
  });

  it('is safe to install twice and to uninstall twice, and puts the methods back', () => {
    const { console: target, calls } = recordingConsole();
    const original = target.log;
    const first = redactor.installConsole(target);
    const second = redactor.installConsole(target);
    const other = createRedactor({ privateValues: { TOKEN } }).installConsole(target);
    target.log(`${SECRET} ${TOKEN}`);
    first();
    first();
    target.log(SECRET);
    second();
    target.log(`${SECRET} ${TOKEN}`);
    other();
    expect(target.log).toBe(original);
    expect(calls).toEqual([
      ['[redacted:DB_PASSWORD] [redacted:TOKEN]'],
      ['[redacted:DB_PASSWORD]'],
      [`${SECRET} [redacted:TOKEN]`],
    ]);
  });

  it('leaves a method patched by someone else after it in place, passing calls through', () => {
    const { console: target, calls } = recordingConsole();
    const uninstall = redactor.installConsole(target);
    const ours = target.log;
    target.log = (...args) => ours('wrapped', ...args);
    uninstall();
    target.log(SECRET);
    expect(calls).toEqual([['wrapped', SECRET]]);
  });
});

describe('createRedactor: installConsole without node:util (edge runtimes)', () => {
  const process = globalThis.process as { getBuiltinModule?: unknown };
  const builtin = process.getBuiltinModule;
  afterEach(() => {
    process.getBuiltinModule = builtin;
    vi.resetModules();
  });

  it('redacts each argument on its own', async () => {
    process.getBuiltinModule = undefined;
    vi.resetModules();
    const { createRedactor: fresh } = await import('./redactor.js');
    const { console: target, calls } = recordingConsole();
    const uninstall = fresh({ privateValues: { DB_PASSWORD: SECRET } }).installConsole(target);
    const clean = { ok: true };
    target.log('password=%s', SECRET, { nested: { password: SECRET } }, clean);
    target.error(new Error(`bad ${SECRET}`));
    target.log('no secret', clean);
    uninstall();
    expect(calls[0]).toEqual([
      'password=%s',
      '[redacted:DB_PASSWORD]',
      '{"nested":{"password":"[redacted:DB_PASSWORD]"}}',
      clean,
    ]);
    expect(calls[1]?.[0]).toMatch(/^Error: bad \[redacted:DB_PASSWORD\]\n/);
    expect(calls[2]).toEqual(['no secret', clean]);
  });
});
