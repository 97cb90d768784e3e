import { describe, expect, it } from 'vitest';
import { deriveSigningKey, hex, signSigV4 } from '../src/auth/aws/sigv4.ts';
import { awsIamLoginBody } from '../src/auth/aws-iam.ts';

// The AWS Signature Version 4 test suite (aws-sig-v4-test-suite) and the IAM example of the AWS
// General Reference ("Signature Version 4 signing process"): example credentials, 2015-08-30.
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const date = new Date('2015-08-30T12:36:00Z');
const suite = { credentials, region: 'us-east-1', service: 'service', date };
const scope = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

describe('SigV4 against the published AWS test vectors', () => {
  it('get-vanilla', async () => {
    const headers = await signSigV4(
      { method: 'GET', url: 'https://example.amazonaws.com/', headers: {} },
      suite,
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;x-amz-date, ` +
        'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('post-vanilla and get-vanilla-query-order-key-case', async () => {
    const post = await signSigV4(
      { method: 'POST', url: 'https://example.amazonaws.com/', headers: {} },
      suite,
    );
    expect(post.authorization).toMatch(
      /Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b$/,
    );
    const query = await signSigV4(
      {
        method: 'GET',
        url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1',
        headers: {},
      },
      suite,
    );
    expect(query.authorization).toMatch(
      /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/,
    );
  });

  it('post-x-www-form-urlencoded (content type signed, body hashed)', async () => {
    const headers = await signSigV4(
      {
        method: 'POST',
        url: 'https://example.amazonaws.com/',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'Param1=value1',
      },
      suite,
    );
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=content-type;host;x-amz-date, ` +
        'Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    );
  });

  it('the IAM ListUsers example and its derived signing key', async () => {
    expect(
      hex(await deriveSigningKey(credentials.secretAccessKey, '20150830', 'us-east-1', 'iam')),
    ).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
    const headers = await signSigV4(
      {
        method: 'GET',
        url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      },
      { credentials, region: 'us-east-1', service: 'iam', date },
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });
});

describe('the AWS IAM login body', () => {
  it('carries the signed STS request exactly as the official Node SDK builds it', async () => {
    const body = await awsIamLoginBody(
      'identity-1',
      { ...credentials, sessionToken: 'session-token-example' },
      'eu-west-1',
      date,
    );
    expect(body.identityId).toBe('identity-1');
    expect(body.iamHttpRequestMethod).toBe('POST');
    expect(atob(body.iamRequestBody)).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    const headers = JSON.parse(atob(body.iamRequestHeaders)) as Record<string, string>;
    expect(Object.keys(headers).sort()).toEqual([
      'Authorization',
      'Content-Length',
      'Content-Type',
      'Host',
      'x-amz-content-sha256',
      'x-amz-date',
      'x-amz-security-token',
    ]);
    expect(headers).toMatchObject({
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      Host: 'sts.eu-west-1.amazonaws.com',
      'Content-Length': '43',
      'x-amz-date': '20150830T123600Z',
      'x-amz-security-token': 'session-token-example',
      // SHA-256 of the GetCallerIdentity body.
      'x-amz-content-sha256': 'ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843',
    });
    expect(headers.Authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20150830\/eu-west-1\/sts\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });
});
