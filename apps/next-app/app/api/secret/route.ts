import { maskSecret } from '@infisical/core';
import { getSecret } from '@infisical/next/runtime';
import { connection } from 'next/server';

/** SESSION_SECRET, masked, read through the runtime accessor (current after the cache TTL). */
export async function GET(): Promise<Response> {
  await connection();
  const value = await getSecret('SESSION_SECRET');
  return Response.json({ key: 'SESSION_SECRET', masked: maskSecret(value), runtime: 'nodejs' });
}
