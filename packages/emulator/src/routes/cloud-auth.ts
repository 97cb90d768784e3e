/**
 * The routes of the machine-identity logins that prove a cloud or IdP identity; the checks live
 * in `auth/cloud-logins.ts`.
 *
 * @module routes/cloud-auth
 */
import { z } from 'zod';
import type { Router } from '../http/router.js';
import { validate } from '../http/validate.js';
import type { GetServices } from './context.js';

const jwtLoginSchema = z.object({
  identityId: z.string().trim().min(1),
  jwt: z.string().trim().min(1),
  subOrganizationName: z.string().optional(),
  organizationSlug: z.string().optional(),
});

const awsLoginSchema = z.object({
  identityId: z.string().trim().min(1),
  iamHttpRequestMethod: z.string().default('POST'),
  iamRequestBody: z.string(),
  iamRequestHeaders: z.string(),
  organizationSlug: z.string().optional(),
});

const JWT_LOGINS = ['gcp', 'azure', 'kubernetes', 'oidc', 'jwt'] as const;

/** `POST /api/v1/auth/<method>-auth/login` for AWS, GCP, Azure, Kubernetes, OIDC and JWT. */
export function registerCloudAuthRoutes(router: Router, services: GetServices): void {
  router.add('POST', '/api/v1/auth/aws-auth/login', (ctx) => ({
    body: services().cloudLogins.aws(validate(awsLoginSchema, ctx.body)),
  }));
  for (const method of JWT_LOGINS) {
    router.add('POST', `/api/v1/auth/${method}-auth/login`, (ctx) => ({
      body: services().cloudLogins[method](validate(jwtLoginSchema, ctx.body)),
    }));
  }
}
