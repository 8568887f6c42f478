/** The storage package's errors: core's error classes, with a stable `name` and `kind`. */
import { CosmoError } from '@cosmolocal/core/errors'

/** A storage key that cannot name a file in the store (empty, `..`, a separator, a leading dot). Nothing was read or written. */
export class InvalidStorageKeyError extends CosmoError {
  override readonly name = 'InvalidStorageKeyError'
  readonly kind = 'invalid'
}

/** A store configured against the layout's rules (a quarantine inside the store, which a NodeFS reader would take for documents). */
export class StorageLayoutError extends CosmoError {
  override readonly name = 'StorageLayoutError'
  readonly kind = 'invalid'
}
