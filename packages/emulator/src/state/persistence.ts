/**
 * `--data` persistence: a snapshot of every persisted table plus an append-only journal of the
 * changes since, so a write costs in proportion to what it changed. The journal is folded into a
 * new snapshot at start and once it outgrows the live data. Files are created in a private
 * folder (0700), each 0600, opened without following symbolic links, and snapshots are written to
 * an unpredictable temporary name created exclusively, then renamed over the old one.
 *
 * @module state/persistence
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ORG_ID } from './ids.js';
import type { SavedTables, Store, StoreChange, TableName } from './store.js';

const FORMAT = 'infisical-emulator/2';
const TABLES: readonly TableName[] = [
  'projects',
  'environments',
  'folders',
  'tags',
  'secrets',
  'imports',
  'clientSecrets',
];
/** Journal lines allowed beyond the live row count before the journal is folded into a snapshot. */
const COMPACT_SLACK = 10_000;

/** A data file that cannot be used: names the file and the problem. */
export class DataFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'DataFileError';
  }
}

/** A snapshot plus journal on disk, kept in step with a store. */
export class DataFile {
  readonly #file: string;
  readonly #journalFile: string;
  #journal: number | undefined;
  #journalLines = 0;
  #pending = new Map<string, StoreChange>();
  #flushQueued = false;
  #store: Store | undefined;

  constructor(file: string) {
    this.#file = file;
    this.#journalFile = `${file}.journal`;
  }

  /** The saved tables (snapshot with the journal replayed), or undefined when nothing is saved yet. */
  load(): SavedTables | undefined {
    const snapshot = readPrivate(this.#file);
    const journal = readPrivate(this.#journalFile);
    if (snapshot === undefined && journal === undefined) return undefined;
    const rows = new Map<TableName, Map<string, { id: string }>>(
      TABLES.map((table) => [table, new Map()]),
    );
    const present = new Set<string>();
    if (snapshot !== undefined) {
      for (const [table, list] of Object.entries(parseSnapshot(this.#file, snapshot))) {
        present.add(table);
        const target = rows.get(table as TableName) as Map<string, { id: string }>;
        for (const row of list as { id: string }[]) target.set(row.id, row);
      }
    }
    for (const [i, line] of (journal ?? '').split('\n').entries()) {
      if (line === '') continue;
      let change: StoreChange;
      try {
        change = JSON.parse(line) as StoreChange;
      } catch {
        // A line cut short by a crash is the last one: everything before it stands.
        if (i === (journal ?? '').split('\n').length - 1) break;
        throw new DataFileError(this.#journalFile, `line ${i + 1} is not valid JSON`);
      }
      const target = rows.get(change.table);
      if (!target) throw new DataFileError(this.#journalFile, `line ${i + 1}: unknown table`);
      present.add(change.table);
      if (change.op === 'put') target.set(change.row.id, change.row);
      else target.delete(change.id);
    }
    const saved = Object.fromEntries(
      TABLES.map((table) => [table, [...(rows.get(table) as Map<string, unknown>).values()]]),
    ) as unknown as SavedTables;
    // A first-format file has no client secrets: the seed's stand.
    if (!present.has('clientSecrets')) delete saved.clientSecrets;
    return saved;
  }

  /** Writes a snapshot of the store, empties the journal and records the store's changes from now on. */
  attach(store: Store): void {
    this.#store = store;
    this.compact();
    store.onChange((change) => this.#record(change));
  }

  /** Writes a fresh snapshot and starts an empty journal. */
  compact(): void {
    const store = this.#store;
    if (!store) return;
    this.#flush();
    const dir = dirname(this.#file);
    ensurePrivateDir(dir);
    const temporary = join(dir, `.${basename(this.#file)}.${randomBytes(12).toString('hex')}.tmp`);
    const payload = JSON.stringify({ format: FORMAT, tables: store.tables() });
    const fd = openSync(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
    try {
      writeSync(fd, `${payload}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(temporary, this.#file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    this.#closeJournal();
    this.#journal = openPrivate(
      this.#journalFile,
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    );
    this.#journalLines = 0;
  }

  /** Writes what is pending and closes the journal. */
  close(): void {
    this.#flush();
    this.#closeJournal();
  }

  #record(change: StoreChange): void {
    const id = change.op === 'put' ? change.row.id : change.id;
    const key = `${change.table}\u0000${id}`;
    // Only the last change of a row counts; re-inserting keeps the order of first appearance.
    this.#pending.delete(key);
    this.#pending.set(key, change);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.#flush());
    }
  }

  #flush(): void {
    this.#flushQueued = false;
    if (this.#pending.size === 0 || this.#journal === undefined) return;
    const lines: string[] = [];
    for (const change of this.#pending.values()) lines.push(JSON.stringify(change));
    this.#pending = new Map();
    writeSync(this.#journal, `${lines.join('\n')}\n`);
    this.#journalLines += lines.length;
    if (this.#store && this.#journalLines > this.#store.rowCount() + COMPACT_SLACK) this.compact();
  }

  #closeJournal(): void {
    if (this.#journal === undefined) return;
    closeSync(this.#journal);
    this.#journal = undefined;
  }
}

/**
 * Creates the folder (0700) when it does not exist, and refuses one that another user owns or can
 * write to (they could swap the files between our writes).
 */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new DataFileError(dir, 'not a folder');
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid())
    throw new DataFileError(
      dir,
      'the folder is owned by another user; keep --data in a folder of yours',
    );
  if ((stat.mode & 0o022) !== 0)
    throw new DataFileError(
      dir,
      `the folder is writable by other users; keep --data in a private folder (chmod 700 ${dir})`,
    );
}

/** Opens a file of ours for writing: 0600, never through a symbolic link, never someone else's. */
function openPrivate(file: string, flags: number): number {
  ensurePrivateDir(dirname(file));
  let fd: number;
  try {
    fd = openSync(file, flags, 0o600);
  } catch (error) {
    throw refusal(file, error);
  }
  try {
    checkOwner(file, fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** Reads a file of ours, or undefined when it does not exist. */
function readPrivate(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw refusal(file, error);
  }
  try {
    checkOwner(file, fd);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Refuses an open file that is not a regular file of ours; one others could read becomes 0600. */
function checkOwner(file: string, fd: number): void {
  const stat = fstatSync(fd);
  if (!stat.isFile()) throw new DataFileError(file, 'not a regular file');
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid())
    throw new DataFileError(file, 'owned by another user; refusing to use it');
  if ((stat.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
}

function refusal(file: string, error: unknown): DataFileError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' || code === 'EMLINK')
    return new DataFileError(file, 'is a symbolic link; refusing to follow it');
  return new DataFileError(file, `cannot open (${code ?? (error as Error).message})`);
}

function parseSnapshot(file: string, text: string): Record<string, unknown[]> {
  let data: { format?: string; tables?: Record<string, unknown[]> } & Record<string, unknown>;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(file, `not valid JSON (${(error as Error).message})`);
  }
  if (data?.format === FORMAT && data.tables) return data.tables;
  if (data?.format === 'infisical-emulator/1') return migrateV1(data);
  throw new DataFileError(
    file,
    `not an infisical-emulator data file (expected "format": "${FORMAT}")`,
  );
}

/** Reads the first data format (whole-state JSON) into today's tables. */
function migrateV1(data: Record<string, unknown>): Record<string, unknown[]> {
  const list = (key: string): Record<string, unknown>[] =>
    Array.isArray(data[key]) ? (data[key] as Record<string, unknown>[]) : [];
  const positions = new Map<unknown, number>();
  return {
    projects: list('projects').map((p) => ({
      orgId: ORG_ID,
      updatedAt: p.createdAt,
      ...p,
    })),
    environments: list('environments'),
    folders: list('folders'),
    tags: list('tags').map(({ name: _name, ...t }) => ({
      createdAt: new Date(0).toISOString(),
      updatedAt: new Date(0).toISOString(),
      createdBy: null,
      createdByActorType: 'user',
      ...t,
    })),
    secrets: list('secrets'),
    imports: list('imports').map((imp) => {
      const position = (positions.get(imp.folderId) ?? 0) + 1;
      positions.set(imp.folderId, position);
      return {
        position,
        createdAt: new Date(0).toISOString(),
        updatedAt: new Date(0).toISOString(),
        ...imp,
      };
    }),
  };
}
