import { maskSecret } from '@infisical/core';
import { getSecret } from '@infisical/next/runtime';
import { connection } from 'next/server';

// The Edge runtime (deprecated in Next 16) loads on first access, from the INFISICAL_* variables.
export const runtime = 'edge';

/** SESSION_SECRET, masked, read through the runtime accessor on the Edge runtime. */
export async function GET(): Promise<Response> {
  await connection();
  const value = await getSecret('SESSION_SECRET');
  return Response.json({
    key: 'SESSION_SECRET',
    masked: maskSecret(value),
    runtime: process.env.NEXT_RUNTIME,
  });
}
