/**
 * Project tags: create, list, get by id or slug, update and delete (which takes the tag off
 * every secret without a new version), with the server's slug rule and messages.
 *
 * @module tags/service
 */
import { authorize, permissionProject } from '../auth/permissions.js';
import type { Actor } from '../auth/tokens.js';
import { badRequest, notFound } from '../http/api-error.js';
import type { Clock } from '../state/clock.js';
import { newId } from '../state/ids.js';
import type { Project, Tag } from '../state/model.js';
import type { Store } from '../state/store.js';

/** Tag operations over the store. */
export class TagService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** `GET /api/v1/workspace/:projectId/tags`. */
  list(actor: Actor, projectId: string): Tag[] {
    authorize(actor, this.#project(projectId), 'read', 'tags');
    return this.#store.projectTags(projectId);
  }

  /** `POST /api/v1/workspace/:projectId/tags`. */
  create(actor: Actor, projectId: string, slug: string, color: string): Tag {
    authorize(actor, this.#project(projectId), 'create', 'tags');
    if (this.#store.tagBySlug(projectId, slug)) throw badRequest('Tag already exist');
    const at = this.#clock.iso();
    const tag: Tag = {
      id: newId(),
      projectId,
      slug,
      color,
      createdAt: at,
      updatedAt: at,
      createdBy: actor.identity.id,
      createdByActorType: actor.identity.user ? 'user' : 'identity',
    };
    this.#store.putTag(tag);
    return tag;
  }

  /** `GET /api/v1/workspace/:projectId/tags/:tagId` (any project's tag, as the server looks it up by id). */
  byId(actor: Actor, id: string): Tag {
    const tag = this.#store.tag(id);
    if (!tag) throw notFound('Tag not found');
    authorize(actor, this.#project(tag.projectId), 'read', 'tags');
    return tag;
  }

  /** `GET /api/v1/workspace/:projectId/tags/slug/:tagSlug`. */
  bySlug(actor: Actor, projectId: string, slug: string): Tag {
    const tag = this.#store.tagBySlug(projectId, slug);
    if (!tag) throw notFound('Tag not found');
    authorize(actor, this.#project(tag.projectId), 'read', 'tags');
    return tag;
  }

  /** `PATCH /api/v1/workspace/:projectId/tags/:tagId`. */
  update(actor: Actor, id: string, slug: string, color: string): Tag {
    const tag = this.#store.tag(id);
    if (!tag) throw notFound('Tag not found');
    const clash = this.#store.tagBySlug(tag.projectId, slug);
    if (clash && clash.id !== tag.id) throw badRequest('Tag already exist');
    authorize(actor, this.#project(tag.projectId), 'edit', 'tags');
    const updated = { ...tag, slug, color, updatedAt: this.#clock.iso() };
    this.#store.putTag(updated);
    return updated;
  }

  /** `DELETE /api/v1/workspace/:projectId/tags/:tagId`. */
  delete(actor: Actor, id: string): Tag {
    const tag = this.#store.tag(id);
    if (!tag) throw notFound('Tag not found');
    authorize(actor, this.#project(tag.projectId), 'delete', 'tags');
    this.#store.deleteTag(tag);
    return tag;
  }

  /** A tag as the tag routes answer it (`withName` for the get routes, which add `name: slug`). */
  view(tag: Tag, withName = false): Record<string, unknown> {
    return {
      id: tag.id,
      slug: tag.slug,
      color: tag.color,
      createdAt: tag.createdAt,
      updatedAt: tag.updatedAt,
      createdBy: tag.createdBy,
      projectId: tag.projectId,
      createdByActorType: tag.createdByActorType,
      ...(withName ? { name: tag.slug } : {}),
    };
  }

  #project(projectId: string): Project {
    return permissionProject(this.#store, projectId);
  }
}
