/**
 * New rows of the store, made one way wherever they are created (the seed, the API).
 *
 * @module state/rows
 */
import type { Environment, Folder } from './model.js';
import { childPath } from './paths.js';

/** A new folder of an environment: its root (`parent` null, named `root`) or a child of `parent`. */
export function folderRow(
  id: string,
  env: Environment,
  parent: Folder | null,
  name: string,
  at: string,
  description: string | null = null,
): Folder {
  return {
    id,
    projectId: env.projectId,
    envId: env.id,
    environment: env.slug,
    path: parent ? childPath(parent.path, name) : '/',
    name: parent ? name : 'root',
    parentId: parent?.id ?? null,
    description,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}
