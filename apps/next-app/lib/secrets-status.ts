import { maskSecret } from '@infisical/core';
import { getSecretsHandle, onSecretsChange } from '@infisical/next/runtime';

/** When this server loaded its secrets, and when a rotation last reached them. */
interface Status {
  loadedAt: string;
  changedAt: string | null;
}

// On globalThis, like the runtime's handle: instrumentation and routes are bundled apart.
const STATUS = Symbol.for('next-app.secrets-status');
const realm = globalThis as typeof globalThis & { [STATUS]?: Status };

/** Records the load time and follows changes; called once the secrets are loaded. */
export function trackSecrets(): Status {
  if (realm[STATUS]) return realm[STATUS];
  const status: Status = { loadedAt: new Date().toISOString(), changedAt: null };
  realm[STATUS] = status;
  onSecretsChange(() => {
    status.changedAt = new Date().toISOString();
  });
  return status;
}

/** What `GET /api/secrets` answers: the shape every example app serves. */
export async function secretsReport() {
  const secrets = getSecretsHandle();
  await secrets.read();
  const { loadedAt, changedAt } = trackSecrets();
  const privateValues = Object.entries(secrets.privateValues);
  return {
    app: 'next',
    source: secrets.source,
    values: Object.fromEntries(privateValues.map(([key, value]) => [key, maskSecret(value)])),
    public: { ...secrets.publicValues },
    loadedAt,
    changedAt,
  };
}
