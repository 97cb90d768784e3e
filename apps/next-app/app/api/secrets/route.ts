import { connection } from 'next/server';
import { secretsReport } from '../../../lib/secrets-status';

/** Every secret (private ones masked), where they came from and when they changed. */
export async function GET(): Promise<Response> {
  await connection();
  return Response.json(await secretsReport());
}
