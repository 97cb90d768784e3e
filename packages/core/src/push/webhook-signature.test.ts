import { describe, expect, it } from 'vitest';
import { InfisicalError } from '../errors/infisical-error.js';
import { verifyInfisicalWebhook } from './webhook-signature.js';

/** Verbatim vectors of the real 2024-10 server (captures/2024-10/webhook-delivery.json, fake key). */
const SECRET = 'fake-webhook-secret-for-tests';
const MODIFIED = {
  body: '{"event":"secrets.modified","project":{"workspaceId":"3acb2726-a3b4-45c0-b1ed-f64b91ee6f17","environment":"dev","secretPath":"/"},"timestamp":1796144658433}',
  signature: 't=1796144658433;82db2fe37d64e8cafeb6ac5a77108eea7b239c7750073b0341722cb5abcdc763',
  at: 1796144658433,
};
const TEST_EVENT = {
  body: '{"event":"test","project":{"workspaceId":"3acb2726-a3b4-45c0-b1ed-f64b91ee6f17","environment":"dev","secretPath":"/"},"timestamp":1796144654485}',
  signature: 't=1796144654485;6edf854e00d4fe4d2640aefb0a41c1fbe0a7bbf510b9863e311cdd50a62966b4',
  at: 1796144654485,
};

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => expect.unreachable('expected a refusal'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InfisicalError);
  const refusal = error as InfisicalError;
  expect(refusal.message).not.toContain(SECRET);
  expect(refusal.message).not.toContain('3acb2726');
  return (refusal.details as { reason: string }).reason;
}

describe('verifyInfisicalWebhook', () => {
  it("accepts the real server's captured deliveries, as string or bytes", async () => {
    const payload = await verifyInfisicalWebhook({
      body: MODIFIED.body,
      signature: MODIFIED.signature,
      secret: SECRET,
      now: MODIFIED.at + 2000,
    });
    expect(payload).toEqual({
      event: 'secrets.modified',
      project: {
        workspaceId: '3acb2726-a3b4-45c0-b1ed-f64b91ee6f17',
        environment: 'dev',
        secretPath: '/',
      },
      timestamp: MODIFIED.at,
    });
    const test = await verifyInfisicalWebhook({
      body: new TextEncoder().encode(TEST_EVENT.body),
      signature: TEST_EVENT.signature,
      secret: SECRET,
      now: TEST_EVENT.at,
    });
    expect(test.event).toBe('test');
  });

  it('refuses a wrong secret, a changed body, a missing or malformed header, and an old or future timestamp', async () => {
    const base = {
      body: MODIFIED.body,
      signature: MODIFIED.signature,
      secret: SECRET,
      now: MODIFIED.at,
    };
    expect(await reason(verifyInfisicalWebhook({ ...base, secret: 'other-secret' }))).toBe(
      'bad-signature',
    );
    expect(
      await reason(verifyInfisicalWebhook({ ...base, body: MODIFIED.body.replace('dev', 'prod') })),
    ).toBe('bad-signature');
    expect(
      await reason(
        verifyInfisicalWebhook({
          ...base,
          body: JSON.stringify(JSON.parse(MODIFIED.body), null, 1),
        }),
      ),
    ).toBe('bad-signature');
    expect(await reason(verifyInfisicalWebhook({ ...base, signature: undefined }))).toBe(
      'missing-signature',
    );
    expect(await reason(verifyInfisicalWebhook({ ...base, signature: '' }))).toBe(
      'missing-signature',
    );
    expect(await reason(verifyInfisicalWebhook({ ...base, signature: 'sha256=abc' }))).toBe(
      'malformed-signature',
    );
    // The t= of another delivery with this body's HMAC: the HMAC still matches, t does not match the body.
    expect(
      await reason(
        verifyInfisicalWebhook({
          ...base,
          signature: MODIFIED.signature.replace('t=1796144658433', 't=1796144658434'),
        }),
      ),
    ).toBe('malformed-body');
    expect(await reason(verifyInfisicalWebhook({ ...base, now: MODIFIED.at + 300_001 }))).toBe(
      'expired',
    );
    expect(await reason(verifyInfisicalWebhook({ ...base, now: MODIFIED.at - 300_001 }))).toBe(
      'expired',
    );
    expect(
      await reason(
        verifyInfisicalWebhook({ ...base, now: MODIFIED.at + 61_000, toleranceMs: 60_000 }),
      ),
    ).toBe('expired');
  });

  it('refuses an empty secret as a configuration error', async () => {
    await expect(
      verifyInfisicalWebhook({ body: MODIFIED.body, signature: MODIFIED.signature, secret: '' }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
