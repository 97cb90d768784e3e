import type { Router } from '../http/router.js';

/** `GET /api/status`, the server's health check. */
export function registerStatusRoutes(router: Router): void {
  router.add('GET', '/api/status', () => ({
    body: {
      date: new Date().toISOString(),
      message: 'Ok',
      emailConfigured: false,
      inviteOnlySignup: false,
    },
  }));
}
