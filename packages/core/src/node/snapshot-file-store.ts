/**
 * The snapshot's file store (Node, Bun, Deno): a private folder (created with mode 700, refused
 * when it is a symbolic link, another user's, or writable by others), the file read and written
 * without following symbolic links, written atomically (a temporary file created exclusively with
 * mode 600, synced, renamed over the old one).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InfisicalError } from '../errors/infisical-error.js';
import { snapshotRejected } from '../snapshot/snapshot-codec.js';
import type { SnapshotStore } from '../snapshot/snapshot-options.js';

/** The largest snapshot file read (a bigger one is refused unread). */
const MAX_BYTES = 64 * 1024 * 1024;
/** `O_NOFOLLOW` where the platform has it (not on Windows, which has no such links to follow). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
/** Owner and mode checks apply where there are users (POSIX). */
const uid = (): number | undefined => process.getuid?.();

/**
 * A {@link SnapshotStore} keeping the snapshot in the file at `path` (relative to the working
 * directory). `snapshot: { path }` uses it once `@infisical/core/node` is imported.
 */
export function fileSnapshotStore(path: string): SnapshotStore {
  const file = resolve(path);
  const folder = dirname(file);
  const label = `The snapshot file ${path}`;
  return {
    async read() {
      let handle: FileHandle;
      try {
        handle = await open(file, constants.O_RDONLY | NO_FOLLOW);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ENOENT') return undefined;
        if (code === 'ELOOP')
          throw snapshotRejected('unsafe', label, 'is a symbolic link (never followed)');
        throw error;
      }
      try {
        const problem = fileProblem(await handle.stat()) ?? folderProblem(await lstat(folder));
        if (problem !== undefined) throw snapshotRejected('unsafe', label, problem);
        if ((await handle.stat()).size > MAX_BYTES)
          throw snapshotRejected('unreadable', label, 'is larger than 64 MiB');
        return await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    },

    async write(text) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const problem = folderProblem(await lstat(folder)) ?? existingProblem(await lstatIfAny(file));
      if (problem !== undefined)
        throw writeFailed('unsafe', `${label} cannot be written: ${problem}`);
      const temp = join(
        folder,
        `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
      );
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW;
      const handle = await open(temp, flags, 0o600);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
        await handle.close();
        await rename(temp, file);
      } catch (error) {
        await handle.close().catch(() => undefined);
        await rm(temp, { force: true });
        throw error;
      }
    },
  };
}

/** Why a snapshot file must not be trusted, if it must not. */
function fileProblem(stats: Stats): string | undefined {
  if (!stats.isFile()) return 'is not a regular file';
  const me = uid();
  if (me === undefined) return undefined;
  if (stats.uid !== me) return `belongs to another user (uid ${stats.uid})`;
  if ((stats.mode & 0o077) !== 0)
    return `is open to other users (mode ${(stats.mode & 0o777).toString(8)}, not 600)`;
  return undefined;
}

/** Why the snapshot's folder is not private, if it is not. */
function folderProblem(stats: Stats): string | undefined {
  if (stats.isSymbolicLink()) return 'is in a folder that is a symbolic link';
  if (!stats.isDirectory()) return 'is in something that is not a folder';
  const me = uid();
  if (me === undefined) return undefined;
  if (stats.uid !== me) return `is in a folder of another user (uid ${stats.uid})`;
  if ((stats.mode & 0o022) !== 0)
    return `is in a folder other users can write to (mode ${(stats.mode & 0o777).toString(8)}); use a private folder (700)`;
  return undefined;
}

/** Why the path must not be replaced, if something other than a regular file is there. */
function existingProblem(stats: Stats | undefined): string | undefined {
  if (stats === undefined || stats.isFile()) return undefined;
  return stats.isSymbolicLink()
    ? 'a symbolic link is in its place (never followed nor replaced)'
    : 'something other than a file is in its place';
}

async function lstatIfAny(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

function writeFailed(reason: string, message: string): InfisicalError {
  return new InfisicalError(
    'SNAPSHOT_WRITE_FAILED',
    `${message}. Fix: point snapshot.path at a file in a folder only this user can write.`,
    { details: { reason } },
  );
}
