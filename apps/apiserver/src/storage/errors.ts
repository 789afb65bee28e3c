// Storage-level outcomes; the REST layer turns them into Kubernetes Status errors.

export type StorageErrorCode = 'KeyExists' | 'KeyNotFound' | 'Conflict' | 'TooOld';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    /** For Conflict: the resourceVersion the store holds now. */
    readonly currentRevision?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
