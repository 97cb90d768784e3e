/**
 * The files of a build output, as text: every file under a folder whatever its name, symbolic
 * links to files included, read as UTF-8; binary files are told apart by content (a NUL byte, or
 * bytes that are not UTF-8), not by extension.
 *
 * @module
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative } from 'node:path';
import { InfisicalError } from '../errors/infisical-error.js';

/** Files larger than this are not read (a JS string cannot hold much more). */
const MAX_TEXT_FILE_BYTES = 256 * 1024 * 1024;

/** A file that was not scanned, and why. */
export interface SkippedFile {
  /** Path relative to the scanned folder. */
  file: string;
  reason: 'binary' | 'too-large';
}

/** A file under a folder: its absolute path and its path relative to the folder. */
export interface ListedFile {
  readonly path: string;
  readonly file: string;
}

async function isFileEntry(entry: Dirent, path: string): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return (await stat(path)).isFile();
  } catch {
    return false; // a dangling link
  }
}

/**
 * The files under `root` (recursively; `root` itself when it is a file), sorted by relative path.
 *
 * @throws InfisicalError `CONFIG_INVALID` when `root` does not exist.
 */
export async function listFiles(root: string): Promise<ListedFile[]> {
  let rootStat: Awaited<ReturnType<typeof stat>>;
  try {
    rootStat = await stat(root);
  } catch (cause) {
    throw new InfisicalError(
      'CONFIG_INVALID',
      `Cannot scan ${root}: it does not exist or cannot be read. Fix: build first, or pass the output folder.`,
      { cause },
    );
  }
  if (rootStat.isFile()) return [{ path: root, file: basename(root) }];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: ListedFile[] = [];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (await isFileEntry(entry, path)) files.push({ path, file: relative(root, path) });
  }
  return files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The text of `path`, or why it is not text. */
export async function readTextFile(path: string): Promise<string | SkippedFile['reason']> {
  if ((await stat(path)).size > MAX_TEXT_FILE_BYTES) return 'too-large';
  const bytes = await readFile(path);
  if (bytes.includes(0)) return 'binary';
  // ASCII (most build output) decodes as Latin-1: the same text, copied rather than decoded.
  if (isAscii(bytes)) return bytes.toString('latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : 'binary';
}

/** `path` for messages: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}
