/**
 * The leak scanner and the log redactor of `@infisical/core`: `pnpm --filter bench bench:leaks`
 * (runs core from source; no build needed).
 *
 * - scan: a client output made of real minified code (Next.js's own compiled files, cut to size)
 *   with a few planted secrets, scanned by `scanDirectory` — 20 MB with 500 secrets, and ~600 KB
 *   with 10,000 values. Against it, the scan this change replaced, kept here as the reference:
 *   each value searched raw and JSON-escaped with `includes`, value by value, file by file.
 * - redaction: microseconds per `console.log` call (the global console, its output thrown away),
 *   without redaction and with `installConsole()` for 500 secrets, with and without a secret.
 *
 * Times are medians of several runs, in CPU time of this process (the machine may be shared).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLeakScanner, createRedactor } from '@infisical/core';
import { scanDirectory } from '@infisical/core/node';

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Fake values shaped like real ones: an id, then random-looking characters. */
function fakeValues(count: number): Record<string, string> {
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const values: Record<string, string> = Object.create(null);
  for (let index = 0; index < count; index++) {
    let value = `fake_${index}_`;
    const length = 16 + Math.floor(next() * 32);
    for (let char = 0; char < length; char++)
      value += alphabet[Math.floor(next() * alphabet.length)];
    // Every fourth value has characters that URL-encoding changes.
    values[`SECRET_${index}`] = index % 4 === 3 ? `${value}/+=` : value;
  }
  return values;
}

/** Minified JavaScript from Next.js's compiled dependencies: real client-like text. */
function sourceFiles(): string[] {
  const nextPackage = createRequire(
    fileURLToPath(new URL('../packages/next/package.json', import.meta.url)),
  ).resolve('next/package.json');
  const compiled = join(dirname(nextPackage), 'dist', 'compiled');
  return (readdirSync(compiled, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((file) => file.endsWith('.js') && statSync(join(compiled, file)).isFile())
    .sort()
    .map((file) => join(compiled, file));
}

/**
 * A build output of `bytes` bytes in files of at most 1 MB, with `planted` values written into it
 * (raw, JSON-escaped, base64 in a Basic header, URL-encoded).
 */
function buildOutput(bytes: number, planted: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-leaks-'));
  let written = 0;
  let index = 0;
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (let at = 0; at < text.length && written < bytes; at += 1_000_000) {
      let piece = text.slice(at, Math.min(at + 1_000_000, at + bytes - written));
      if (index < planted.length) {
        const value = planted[index] as string;
        const forms = [
          value,
          JSON.stringify(value),
          `"Basic ${btoa(`u:${value}`)}"`,
          encodeURIComponent(value),
        ];
        piece = `${piece.slice(0, 100)};var leak=${forms[index % forms.length]};${piece.slice(100)}`;
      }
      writeFileSync(join(dir, `chunk-${index++}.js`), piece);
      written += Buffer.byteLength(piece);
    }
    if (written >= bytes) break;
  }
  return dir;
}

/** The scan before the scanner: every value, raw and JSON-escaped, `includes` per file. */
async function referenceScan(dir: string, values: Record<string, string>): Promise<number> {
  let found = 0;
  for (const entry of await readdir(dir)) {
    const text = await readFile(join(dir, entry), 'utf8');
    for (const value of Object.values(values)) {
      const escaped = JSON.stringify(value).slice(1, -1);
      if (text.includes(value) || (escaped !== value && text.includes(escaped))) found++;
    }
  }
  return found;
}

async function scanCase(label: string, bytes: number, count: number, runs: number): Promise<void> {
  const values = fakeValues(count);
  const planted = Object.values(values).slice(0, 4);
  const dir = buildOutput(bytes, planted);
  try {
    const builds: number[] = [];
    const scans: number[] = [];
    let findings = 0;
    for (let run = 0; run < runs; run++) {
      let start = cpuMs();
      const scanner = createLeakScanner({ privateValues: values });
      builds.push(cpuMs() - start);
      start = cpuMs();
      const report = await scanDirectory(dir, scanner);
      scans.push(cpuMs() - start);
      findings = report.findings.length;
    }
    const start = cpuMs();
    const referenceFound = await referenceScan(dir, values);
    const reference = cpuMs() - start;
    console.log(
      `| ${label} | ${fmt(median(builds))} ms | ${fmt(median(scans))} ms | ${fmt(median(builds) + median(scans))} ms | ${findings} of 4 | ${fmt(reference)} ms (${referenceFound} of 4) |`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Nanoseconds (CPU time) per call of `log`, over `calls` calls. */
function perCall(log: () => void, calls: number): number {
  const start = cpuMs();
  for (let index = 0; index < calls; index++) log();
  return ((cpuMs() - start) * 1e6) / calls;
}

function redactionCase(): void {
  // The global console, its output thrown away while measuring.
  const target = console;
  const write = process.stdout.write;
  const values = fakeValues(500);
  const secret = values.SECRET_42 as string;
  const line = 'GET /api/orders?page=2 200 14ms user=ada@example.test cache=hit';
  const object = {
    method: 'GET',
    path: '/api/orders',
    status: 200,
    headers: { accept: 'application/json' },
  };
  const withSecret = { ...object, headers: { authorization: `Bearer ${secret}` } };
  const rows: Array<[string, () => void]> = [
    ['a string, no secret', () => target.log(line)],
    ['a string with a secret', () => target.log(`${line} token=${secret}`)],
    ['format string + object, no secret', () => target.log('request %s', 'done', object)],
    ['format string + object with a secret', () => target.log('request %s', 'done', withSecret)],
  ];
  const redactor = createRedactor({ privateValues: values });
  // Runs alternate without and with redaction, so a machine getting busier affects both alike.
  const calls = 20_000;
  const without = rows.map((): number[] => []);
  const withRedaction = rows.map((): number[] => []);
  process.stdout.write = () => true;
  for (let run = 0; run < 15; run++) {
    for (const [index, [, log]] of rows.entries()) without[index]?.push(perCall(log, calls));
    const uninstall = redactor.installConsole(target);
    for (const [index, [, log]] of rows.entries()) withRedaction[index]?.push(perCall(log, calls));
    uninstall();
  }
  process.stdout.write = write;
  rows.forEach(([label], index) => {
    const plain = median(without[index] as number[]);
    const redacted = median(withRedaction[index] as number[]);
    console.log(
      `| ${label} | ${fmt(plain / 1000, 2)} µs | ${fmt(redacted / 1000, 2)} µs | +${fmt((redacted - plain) / 1000, 2)} µs |`,
    );
  });
}

console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
console.log('| case | build scanner | scan | total | planted found | reference (before) |');
console.log('|---|---|---|---|---|---|');
await scanCase('20 MB, 500 secrets', 20_000_000, 500, 5);
await scanCase('600 KB, 10,000 values', 600_000, 10_000, 5);
console.log('\n| console.log of | without redaction | with redaction (500 secrets) | overhead |');
console.log('|---|---|---|---|');
redactionCase();
