import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { InfisicalError } from '../errors/infisical-error.js';
import { errorFromResponse } from './error-body.js';
import { isRateLimitAnswer } from './rate-limit.js';

const SECRET = 'sk_live_hunter2_DO_NOT_LEAK';
const GET_SECRETS = { method: 'GET', path: '/api/v3/secrets/raw' };

function expectNoSecret(error: InfisicalError): void {
  expect(error.message).not.toContain(SECRET);
  expect(JSON.stringify(error)).not.toContain(SECRET);
  expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(SECRET);
  expect(inspect(error.details, { depth: Number.POSITIVE_INFINITY })).not.toContain(SECRET);
}

describe('errorFromResponse', () => {
  it.each([
    [401, 'UnauthorizedError', 'UNAUTHORIZED'],
    [403, 'TokenError', 'UNAUTHORIZED'],
    [403, 'PermissionDenied', 'PERMISSION_DENIED'],
    [403, 'ForbiddenReadSecretError', 'PERMISSION_DENIED'],
    [404, 'NotFound', 'NOT_FOUND'],
    [400, 'BadRequest', 'VALIDATION_FAILED'],
    [422, 'ValidationFailure', 'VALIDATION_FAILED'],
    [401, 'ValidationFailure', 'VALIDATION_FAILED'],
    [409, 'Conflict', 'CONFLICT'],
    [429, 'RateLimitExceeded', 'RATE_LIMITED'],
    [500, 'InternalServerError', 'SERVER_ERROR'],
    [503, 'ServiceUnavailable', 'SERVER_ERROR'],
    [504, 'GatewayTimeoutError', 'SERVER_ERROR'],
    [405, 'MethodNotAllowed', 'HTTP_ERROR'],
    [302, 'Found', 'HTTP_ERROR'],
  ] as const)('maps %i %s to %s', (status, error, code) => {
    const result = errorFromResponse(
      status,
      { reqId: 'req-abc', statusCode: status, message: 'Something happened', error },
      GET_SECRETS,
    );
    expect(result.code).toBe(code);
    expect(result.status).toBe(status);
    expect(result.requestId).toBe('req-abc');
    expect(result.method).toBe('GET');
    expect(result.path).toBe('/api/v3/secrets/raw');
  });

  it('maps statuses without an error name', () => {
    expect(errorFromResponse(401, undefined, GET_SECRETS).code).toBe('UNAUTHORIZED');
    expect(errorFromResponse(403, undefined, GET_SECRETS).code).toBe('PERMISSION_DENIED');
    expect(errorFromResponse(418, undefined, GET_SECRETS).code).toBe('HTTP_ERROR');
    expect(errorFromResponse(502, '', GET_SECRETS).code).toBe('SERVER_ERROR');
  });

  it('writes status, error name, request and server message, then a fix hint', () => {
    const error = errorFromResponse(
      404,
      {
        reqId: 'req-1',
        statusCode: 404,
        message: "Secret with name 'DB_URL' not found",
        error: 'NotFound',
      },
      { method: 'get', path: '/api/v3/secrets/raw/DB_URL' },
    );
    expect(error.message).toBe(
      "Infisical answered 404 NotFound for GET /api/v3/secrets/raw/DB_URL: Secret with name 'DB_URL' not found. Fix: check projectId, environment and path.",
    );
  });

  it.each([
    [401, 'UnauthorizedError', 'check the credentials or token'],
    [403, 'TokenError', 'check the credentials or token'],
    [403, 'PermissionDenied', 'give the identity access to this project/environment'],
    [404, 'NotFound', 'check projectId, environment and path'],
  ] as const)('gives a fix hint for %i %s', (status, errorName, hint) => {
    const error = errorFromResponse(status, { message: 'x.', error: errorName }, GET_SECRETS);
    expect(error.message).toContain(`: x. Fix: ${hint}.`);
  });

  it('keeps a TokenError message (without doubled periods)', () => {
    const error = errorFromResponse(
      403,
      {
        reqId: 'req-2',
        statusCode: 403,
        message: 'Your token has expired. Please re-authenticate.',
        error: 'TokenError',
      },
      GET_SECRETS,
    );
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe(
      'Infisical answered 403 TokenError for GET /api/v3/secrets/raw: Your token has expired. Please re-authenticate. Fix: check the credentials or token.',
    );
  });

  it('strips the query string from the request path', () => {
    const error = errorFromResponse(
      404,
      { message: 'nope', error: 'NotFound' },
      {
        method: 'GET',
        path: `/api/v3/secrets/raw?secretPath=%2F&x=${SECRET}`,
      },
    );
    expect(error.path).toBe('/api/v3/secrets/raw');
    expect(error.message).toContain('for GET /api/v3/secrets/raw:');
    expectNoSecret(error);
  });

  it('summarises zod issues and drops every received field (2024 server: 401 ValidationFailure)', () => {
    const body = {
      reqId: 'req-zod',
      statusCode: 401,
      error: 'ValidationFailure',
      message: [
        {
          code: 'invalid_type',
          expected: 'string',
          received: SECRET,
          path: ['secretValue'],
          message: 'Expected string, received number',
        },
        {
          code: 'invalid_enum_value',
          options: ['true', 'false'],
          received: SECRET,
          path: ['expandSecretReferences'],
          message: `Invalid enum value. Expected 'true' | 'false', received '${SECRET}'`,
        },
        {
          code: 'invalid_union',
          path: ['secrets', 0, 'secretKey'],
          message: 'Invalid input',
          unionErrors: [{ issues: [{ received: SECRET, message: `got "${SECRET}"`, path: [] }] }],
        },
        { code: 'custom', path: [], message: 'Body must not be empty', input: SECRET },
      ],
    };
    const error = errorFromResponse(401, body, { method: 'POST', path: '/api/v3/secrets/raw/X' });
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.requestId).toBe('req-zod');
    expect(error.message).toBe(
      'Infisical answered 401 ValidationFailure for POST /api/v3/secrets/raw/X: ' +
        'secretValue: Expected string, received number; ' +
        "expandSecretReferences: Invalid enum value. Expected 'true' | 'false', received [redacted]; " +
        'secrets.0.secretKey: Invalid input; ' +
        'Body must not be empty. Fix: check the request parameters.',
    );
    expect(error.details).toEqual({
      issues: [
        {
          code: 'invalid_type',
          expected: 'string',
          path: ['secretValue'],
          message: 'Expected string, received number',
        },
        {
          code: 'invalid_enum_value',
          options: ['true', 'false'],
          path: ['expandSecretReferences'],
          message: "Invalid enum value. Expected 'true' | 'false', received [redacted]",
        },
        {
          code: 'invalid_union',
          path: ['secrets', 0, 'secretKey'],
          message: 'Invalid input',
          unionErrors: [{ issues: [{ message: 'got [redacted]', path: [] }] }],
        },
        { code: 'custom', path: [], message: 'Body must not be empty' },
      ],
    });
    expectNoSecret(error);
  });

  it('maps a 422 ValidationFailure the same way', () => {
    const error = errorFromResponse(
      422,
      {
        statusCode: 422,
        error: 'ValidationFailure',
        message: [{ code: 'invalid_type', path: ['environment'], message: 'Required' }],
      },
      GET_SECRETS,
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(': environment: Required. Fix:');
  });

  it('keeps sanitised server details', () => {
    const error = errorFromResponse(
      403,
      {
        statusCode: 403,
        error: 'PermissionDenied',
        message: 'You are not allowed to readValue on secrets',
        details: [{ action: 'readValue', subject: 'secrets', received: SECRET }],
      },
      GET_SECRETS,
    );
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.details).toEqual({
      serverDetails: [{ action: 'readValue', subject: 'secrets' }],
    });
    expectNoSecret(error);
  });

  it('tolerates text, HTML, empty and odd bodies', () => {
    const text = errorFromResponse(502, 'Bad gateway\n  upstream down', GET_SECRETS);
    expect(text.message).toBe(
      'Infisical answered 502 for GET /api/v3/secrets/raw: Bad gateway upstream down. ' +
        'Fix: retry later; if it persists, report the request id to the Infisical operator.',
    );
    const html = errorFromResponse(404, '<html><body>Not here</body></html>', GET_SECRETS);
    expect(html.message).toContain(': no error message in the response. Fix:');
    expect(errorFromResponse(500, undefined, GET_SECRETS).message).toContain(
      ': no error message in the response.',
    );
    expect(errorFromResponse(500, [1, 2], GET_SECRETS).message).toContain(
      ': no error message in the response.',
    );
    const noMessage = errorFromResponse(500, { statusCode: 500, message: 42 }, GET_SECRETS);
    expect(noMessage.message).toContain(': no error message in the response.');
    expect(noMessage.requestId).toBeUndefined();
    expect(noMessage.details).toBeUndefined();
  });

  it('truncates very long server messages', () => {
    const error = errorFromResponse(
      400,
      { message: 'x'.repeat(5000), error: 'BadRequest' },
      GET_SECRETS,
    );
    expect(error.message.length).toBeLessThan(700);
    expect(error.message).toContain('x…. Fix:');
  });

  it('never exposes a secret through message, JSON or inspect', () => {
    const error = errorFromResponse(
      422,
      {
        reqId: 'req-3',
        error: 'ValidationFailure',
        message: [
          { code: 'too_big', path: ['secretValue'], message: 'Too long', received: SECRET },
        ],
        details: { input: SECRET, nested: { deeper: [{ received: SECRET }] } },
      },
      { method: 'PATCH', path: '/api/v3/secrets/raw/API_KEY' },
    );
    expect(error.details).toEqual({
      issues: [{ code: 'too_big', path: ['secretValue'], message: 'Too long' }],
      serverDetails: { nested: { deeper: [{}] } },
    });
    expectNoSecret(error);
  });
});

describe('isRateLimitAnswer', () => {
  // Headers of the real 2024-10 server: request #40 of a minute (allowed, remaining 0) and #41
  // (limited: a 500 with retry-after), captures rate-limit-secrets-list-40/41.json.
  const allowedLast = new Headers({ 'x-ratelimit-limit': '40', 'x-ratelimit-remaining': '0' });
  const limited = new Headers({
    'x-ratelimit-limit': '40',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': '57',
    'retry-after': '57',
  });

  it('recognises a 429 and a 2024 server 500 with the limiter headers', () => {
    expect(isRateLimitAnswer(429, new Headers())).toBe(true);
    expect(isRateLimitAnswer(500, limited)).toBe(true);
    const error = errorFromResponse(
      500,
      { statusCode: 500, message: 'Something went wrong', error: 'InternalServerError' },
      GET_SECRETS,
      true,
    );
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 500 });
  });

  it('keeps a real 500 a server error, even on the last request the limit allows', () => {
    expect(isRateLimitAnswer(500, allowedLast)).toBe(false);
    expect(isRateLimitAnswer(500, new Headers({ 'retry-after': '5' }))).toBe(false);
    expect(isRateLimitAnswer(404, limited)).toBe(false);
  });
});
