/**
 * The Node entry of `@infisical/core` (Node, Bun, Deno): importing it adds every cloud login
 * method (AWS IAM, GCP IAM, GCP ID token, Azure, Kubernetes, OIDC, JWT) to the `auth` option's
 * keys and to environment detection, provides the file store of the `snapshot: { path }`
 * option, and holds the Node-only helpers (scanning built files for leaked private values,
 * writing the declaration file that types secret keys). The main entry stays small for edge
 * bundles.
 *
 * @module @infisical/core/node
 */
import { registerAuthMethods } from './auth/auth-methods.js';
import { awsIamAuth } from './auth/aws-iam.js';
import { azureAuth } from './auth/azure.js';
import { gcpIamAuth } from './auth/gcp-iam.js';
import { gcpIdTokenAuth } from './auth/gcp-id-token.js';
import { jwtAuth, oidcAuth } from './auth/jwt-auth.js';
import { kubernetesAuth } from './auth/kubernetes.js';
import { fileSnapshotStore } from './node/snapshot-file-store.js';
import { registerSnapshotFileStore } from './snapshot/snapshot-options.js';

registerAuthMethods({
  awsIam: awsIamAuth,
  gcpIam: gcpIamAuth,
  gcpIdToken: gcpIdTokenAuth,
  azure: azureAuth,
  kubernetes: kubernetesAuth,
  oidc: oidcAuth,
  jwt: jwtAuth,
});
registerSnapshotFileStore(fileSnapshotStore);

export { frameworkBaseline, packagePaths } from './node/framework-baseline.js';
export {
  type DirectoryLeakReport,
  type ScanDirectoryOptions,
  scanDirectory,
} from './node/scan-files.js';
export {
  renderSecretKeyTypes,
  type SecretKeyTypesOptions,
  writeSecretKeyTypes,
} from './node/secret-key-types.js';
export { fileSnapshotStore } from './node/snapshot-file-store.js';
export type { SkippedFile } from './node/text-files.js';
