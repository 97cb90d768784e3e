/**
 * The emulator's change feed: every secret write of the store (API routes, batch routes and the
 * control API's rotations alike) as `{ event, folder, secretKey }`, for the event stream and the
 * webhooks.
 *
 * @module events/changes
 */
import type { Folder, Secret } from '../state/model.js';
import type { Store } from '../state/store.js';

/** The event names of the newest server's event stream. */
export type SecretEventName =
  | 'secret:create'
  | 'secret:update'
  | 'secret:delete'
  | 'secret:import-mutation';

/** One change to a folder's secrets (or imports). */
export interface SecretChange {
  event: SecretEventName;
  folder: Folder;
  /** The key written; absent for an import change. */
  secretKey?: string;
}

/** Calls `listener` after every secret or import write of `store`. */
export function watchSecretChanges(store: Store, listener: (change: SecretChange) => void): void {
  store.onChange((change) => {
    if (change.table === 'secrets') {
      if (change.op === 'put') {
        const secret = change.row as Secret;
        const folder = store.folderById(secret.folderId);
        if (!folder) return;
        const event = secret.history.length === 0 ? 'secret:create' : 'secret:update';
        listener({ event, folder, secretKey: secret.key });
        return;
      }
      const folder = change.folderId === undefined ? undefined : store.folderById(change.folderId);
      if (folder) listener({ event: 'secret:delete', folder });
      return;
    }
    if (change.table === 'imports' && change.op === 'put') {
      const folder = store.folderById((change.row as { folderId: string }).folderId);
      if (folder) listener({ event: 'secret:import-mutation', folder });
    }
  });
}
