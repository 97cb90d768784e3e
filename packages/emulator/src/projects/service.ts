/**
 * Projects and their environments: lookup by id (what `workspaceId` means: never a slug) or by
 * slug, the project answer of `GET /api/v1/workspace/:id` and `GET /api/v2/workspace/:slug`,
 * and environment creation.
 *
 * @module projects/service
 */
import { authorize, permissionProject, requireMember } from '../auth/permissions.js';
import type { Actor } from '../auth/tokens.js';
import type { FolderService } from '../folders/service.js';
import { ApiError, badRequest, notFound, serverError } from '../http/api-error.js';
import type { Clock } from '../state/clock.js';
import { stableId } from '../state/ids.js';
import type { Environment, Project } from '../state/model.js';
import type { Store } from '../state/store.js';
import type { Behaviours } from '../versions/behaviours.js';

/** Fields of a new environment. */
export interface EnvironmentInput {
  name: string;
  slug: string;
  position?: number;
}

/** Project lookups and views. */
export class ProjectService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #behaviours: Pick<Behaviours, 'projectNotFound'>;

  constructor(store: Store, clock: Clock, behaviours: Pick<Behaviours, 'projectNotFound'>) {
    this.#store = store;
    this.#clock = clock;
    this.#behaviours = behaviours;
  }

  /** The project a `workspaceId` / `projectId` names, or the server's 404 of its bot lookup. */
  byId(id: string): Project {
    const project = this.#store.project(id);
    if (!project)
      throw notFound(
        'Project not found during bot lookup. Are you sure you are using the correct project ID?',
      );
    return project;
  }

  /** The project a `workspaceSlug` / `projectSlug` names; an unknown slug fails inside the server's query (500). */
  bySlug(slug: string, failure = 'Find project by slug'): Project {
    const project = this.#store.projectBySlug(slug);
    if (!project) throw serverError(failure);
    return project;
  }

  /** `GET /api/v1/workspace/:workspaceId`. */
  workspace(actor: Actor, id: string): Record<string, unknown> {
    const project = this.#store.project(id);
    if (!project) {
      const answer = this.#behaviours.projectNotFound(id);
      throw new ApiError(answer.status, answer.error, answer.message);
    }
    requireMember(actor, project);
    return this.view(project);
  }

  /** `GET /api/v2/workspace/:slug`. */
  workspaceBySlug(actor: Actor, slug: string): Record<string, unknown> {
    const project = this.bySlug(slug, 'Failed to find project by slug');
    requireMember(actor, project);
    return this.view(project);
  }

  /** A project as the project routes answer it, with its environments. */
  view(project: Project): Record<string, unknown> {
    return {
      id: project.id,
      name: project.name,
      slug: project.slug,
      autoCapitalization: true,
      orgId: project.orgId,
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
      version: 3,
      upgradeStatus: null,
      pitVersionLimit: 10,
      kmsCertificateKeyId: null,
      auditLogsRetentionDays: null,
      _id: project.id,
      environments: this.#store
        .projectEnvironments(project.id)
        .map((env) => ({ name: env.name, slug: env.slug, id: env.id })),
    };
  }

  /** `POST /api/v1/workspace/:workspaceId/environments`: a new environment with its root folder. */
  createEnvironment(
    actor: Actor,
    projectId: string,
    input: EnvironmentInput,
    folders: FolderService,
  ): Environment {
    const project = permissionProject(this.#store, projectId);
    authorize(actor, project, 'create', 'environments');
    const existing = this.#store.projectEnvironments(project.id);
    if (existing.some((env) => env.slug === input.slug))
      throw badRequest('Environment with slug already exist', 'CreateEnvironment');
    const at = this.#clock.iso();
    if (input.position !== undefined && existing.some((env) => env.position === input.position)) {
      for (const env of existing)
        if (env.position >= input.position)
          this.#store.putEnvironment({ ...env, position: env.position + 1 });
    }
    const env: Environment = {
      id: stableId('env', project.id, input.slug),
      projectId: project.id,
      slug: input.slug,
      name: input.name,
      position:
        input.position ??
        existing.reduce((max, candidate) => Math.max(max, candidate.position), 0) + 1,
      createdAt: at,
      updatedAt: at,
    };
    this.#store.putEnvironment(env);
    folders.createRoot(env);
    return env;
  }

  /** An environment as the environment routes answer it. */
  environmentView(env: Environment): Record<string, unknown> {
    return {
      id: env.id,
      name: env.name,
      slug: env.slug,
      position: env.position,
      createdAt: env.createdAt,
      updatedAt: env.updatedAt,
      projectId: env.projectId,
    };
  }
}
