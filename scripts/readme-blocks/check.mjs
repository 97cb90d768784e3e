#!/usr/bin/env node
/**
 * @module scripts/readme-blocks/check
 * Type-checks every ```ts / ```tsx block of every README.md in the repository against the BUILT
 * packages, resolved as a user's project resolves them: from each package's `exports` to `dist`
 * (no `@infisical/source` condition), with `strict`, bundler resolution, React JSX and Nest's
 * decorator flags. Every block is its own module; the markers of ./extract.mjs make a block a
 * fragment, continue an earlier block, or give it hidden context. Errors are reported as
 * `README path:line: TS code: message`. Blocks listed in scripts/known-failures.txt (`typecheck`)
 * are reported and counted as skipped. Writes `.test-report/readme-blocks.json` at the root.
 *
 * Run `pnpm build` first (the test command does). `--verbose` also lists the passing blocks.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { KNOWN_FAILURES_FILE, knownFailures } from '../lib/known-failures.mjs';
import { formatCounts, ROOT, workspaceDirs, writeReport } from '../lib/reports.mjs';
import { typeScriptBlocks } from './extract.mjs';

const WORK = join(ROOT, 'node_modules', '.cache', 'readme-blocks');
const verbose = process.argv.includes('--verbose');

/** What a user's project would have: strict TypeScript, a bundler, React JSX, Nest decorators. */
const compilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.ReactJSX,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
};

/** Global types a README's readers have beyond Node's: Vite's starters reference `vite/client`. */
const extraTypes = [{ under: 'packages/vite/', types: ['vite/client'] }];

/** Every README.md git knows (never node_modules). */
function readmes() {
  return execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '*README.md'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean)
    .filter((path) => existsSync(join(ROOT, path)))
    .sort();
}

/**
 * A node_modules of symlinks: every workspace package by its name, and every dependency that any
 * workspace package has installed (the first one found wins), so blocks can import what a user
 * of that adapter would have installed (next, react, @nestjs/*, express, zod, …).
 */
function linkModules() {
  const modules = join(WORK, 'node_modules');
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(modules, { recursive: true });
  const link = (name, target) => {
    const at = join(modules, name);
    if (existsSync(at) || isLink(at)) return;
    mkdirSync(join(at, '..'), { recursive: true });
    symlinkSync(target, at, 'dir');
  };
  const dirs = workspaceDirs();
  for (const dir of dirs) {
    const { name, private: isPrivate } = JSON.parse(
      readFileSync(join(dir, 'package.json'), 'utf8'),
    );
    if (dir !== ROOT && !isPrivate) link(name, dir);
  }
  for (const dir of dirs) {
    const installed = join(dir, 'node_modules');
    if (!existsSync(installed)) continue;
    for (const entry of readdirSync(installed)) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) {
        for (const scoped of readdirSync(join(installed, entry)))
          link(`${entry}/${scoped}`, join(installed, entry, scoped));
      } else link(entry, join(installed, entry));
    }
  }
}

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The files to check: one per block (or per chain of `continues` blocks), each with the segments
 * that map its lines back to README lines.
 */
function buildFiles(readme, blocks) {
  const files = [];
  const slug = readme.replace(/[^\w]+/g, '_');
  let previous;
  for (const [index, block] of blocks.entries()) {
    const kinds = new Set(block.markers.map((marker) => marker.kind));
    const entry = { readme, block, index: index + 1 };
    if (kinds.has('fragment')) {
      entry.fragment =
        block.markers.find((marker) => marker.kind === 'fragment').body || 'fragment';
      files.push({ entries: [entry], skip: true });
      continue;
    }
    const segments = kinds.has('continues') && previous ? [...previous.segments] : [];
    for (const marker of block.markers.filter((m) => m.kind === 'prelude'))
      segments.push({ text: marker.body, readmeLine: marker.line, entry, prelude: true });
    segments.push({ text: block.code, readmeLine: block.line + 1, entry });
    const lang = segments.some((s) => s.entry.block.lang === 'tsx') ? 'tsx' : 'ts';
    const path = join(WORK, slug, `block-${block.line}.${lang}`);
    const file = { path, segments, entries: [...new Set(segments.map((s) => s.entry))] };
    files.push(file);
    previous = file;
  }
  return files;
}

function writeFile(file) {
  let text = '';
  let line = 0;
  for (const segment of file.segments) {
    segment.fileLine = line;
    text += `${segment.text}\n`;
    line += segment.text.split('\n').length;
  }
  text += 'export {};\n';
  mkdirSync(join(file.path, '..'), { recursive: true });
  writeFileSync(file.path, text);
}

/** The README place of a 0-based line of a generated file. */
function readmePlace(file, line) {
  let owner = file.segments[0];
  for (const segment of file.segments) if (segment.fileLine <= line) owner = segment;
  const offset = owner.prelude ? 0 : line - owner.fileLine;
  return { entry: owner.entry, line: owner.readmeLine + offset };
}

if (!existsSync(join(ROOT, 'packages', 'core', 'dist'))) {
  console.error('readme-blocks: the packages are not built; run `pnpm build` first.');
  process.exit(1);
}
linkModules();
const files = [];
for (const readme of readmes()) {
  const blocks = typeScriptBlocks(readFileSync(join(ROOT, readme), 'utf8'));
  files.push(...buildFiles(readme, blocks));
}
const checked = files.filter((file) => !file.skip);
for (const file of checked) writeFile(file);

const byPath = new Map(checked.map((file) => [file.path, file]));
const errors = new Map(); // entry -> Set of messages
for (const readme of new Set(checked.map((file) => file.segments.at(-1).entry.readme))) {
  const types = [
    ...compilerOptions.types,
    ...extraTypes.filter((extra) => readme.startsWith(extra.under)).flatMap((extra) => extra.types),
  ];
  const options = { ...compilerOptions, types };
  const host = ts.createCompilerHost(options);
  host.getCurrentDirectory = () => WORK;
  const paths = checked
    .filter((file) => file.segments.at(-1).entry.readme === readme)
    .map((f) => f.path);
  const program = ts.createProgram({ rootNames: paths, options, host });
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const file = diagnostic.file && byPath.get(diagnostic.file.fileName);
    if (!file) {
      console.error(`readme-blocks: TypeScript (${readme}): TS${diagnostic.code}: ${message}`);
      process.exitCode = 1;
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const place = readmePlace(file, line);
    const list = errors.get(place.entry) ?? new Set();
    list.add(`${place.entry.readme}:${place.line}: TS${diagnostic.code}: ${message}`);
    errors.set(place.entry, list);
  }
}

const known = knownFailures('typecheck');
const counts = { passed: 0, failed: 0, skipped: 0 };
const seen = new Set();
for (const file of files) {
  for (const entry of file.entries) {
    if (seen.has(entry)) continue;
    seen.add(entry);
    const id = `${entry.readme}:${entry.block.line}`;
    const label = `${id} (block ${entry.index}, ${entry.block.lang})`;
    if (entry.fragment) {
      counts.skipped++;
      if (verbose) console.log(`  - ${label}: fragment (${entry.fragment})`);
      continue;
    }
    const messages = errors.get(entry);
    const reason = known.get(id);
    if (!messages) {
      counts.passed++;
      if (reason)
        console.log(
          `  ! ${label} passes now: remove its line from ${relative(ROOT, KNOWN_FAILURES_FILE)}`,
        );
      else if (verbose) console.log(`  ✓ ${label}`);
      continue;
    }
    if (reason) {
      counts.skipped++;
      console.log(`  ~ ${label}: known failure (${reason})`);
      for (const message of messages) console.log(`      ${message}`);
      continue;
    }
    counts.failed++;
    console.log(`  ✗ ${label} does not type-check:`);
    for (const message of messages) console.log(`      ${message}`);
  }
}
const listed = [...seen].map((entry) => `${entry.readme}:${entry.block.line}`);
for (const id of known.keys()) {
  if (!listed.includes(id))
    console.log(
      `  ! ${relative(ROOT, KNOWN_FAILURES_FILE)} lists ${id}, which is no TypeScript block (stale line?)`,
    );
}
writeReport(ROOT, 'readme-blocks', counts);
console.log(
  `README blocks: ${formatCounts(counts)} (${seen.size} blocks in ${readmes().length} READMEs)`,
);
if (counts.failed > 0) process.exitCode = 1;
