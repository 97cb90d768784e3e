import type { AddressInfo } from 'node:net';
import type { Emulator } from '@infisical/emulator';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { demoLoadOptions } from 'test-utils';
import type { InfisicalExpressOptions } from '../src/index.ts';

/** The list and login routes of the emulator, as its request counters name them. */
export const LIST = 'GET /api/v3/secrets/raw';
export const LOGIN = 'POST /api/v1/auth/universal-auth/login';

/** Every secret value of the demo seed's dev environment (fake), to check nothing prints one. */
export const DEMO_VALUES = [
  'demo-db-password',
  'demo-api-token-0003',
  'demo-session-secret-3f9a1c',
  'sk_test_demo_0000000000',
  'demo-client-secret',
];

/** Options pointing at an emulator with the demo identity, nothing read from `process.env`. */
export function demoOptions(
  siteUrl: string | Emulator,
  extra: InfisicalExpressOptions = {},
): InfisicalExpressOptions {
  return {
    ...demoLoadOptions(typeof siteUrl === 'string' ? siteUrl : siteUrl.url),
    ...extra,
  };
}

/** A running Express app on 127.0.0.1. */
export interface TestApp {
  url: string;
  /** GET a path; the JSON body (or text) and status. */
  get(path: string): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts an Express app with `middleware`, the given routes and optional error handler. */
export async function startApp(
  middleware: RequestHandler,
  routes: Record<string, RequestHandler>,
  onError?: ErrorRequestHandler,
): Promise<TestApp> {
  const app = express();
  app.use(middleware);
  for (const [path, handler] of Object.entries(routes)) app.get(path, handler);
  if (onError) app.use(onError);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async get(path) {
      const response = await fetch(url + path);
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body, headers: response.headers };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
