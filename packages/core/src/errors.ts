/**
 * Every error core throws. Each has a stable `name` (what scripts match on) and a `kind`
 * that front ends map to their own outcome: the CLI maps kinds to exit codes.
 */
export type ErrorKind = 'not-permitted' | 'not-found' | 'invalid' | 'conflict' | 'internal'

export abstract class CosmoError extends Error {
  abstract readonly kind: ErrorKind
  constructor(message: string, readonly context: Record<string, unknown> = {}) {
    super(message)
  }
}

/** The caller may not do this: not a maintainer, or not the author. The message says what to do instead. */
export class NotPermittedError extends CosmoError {
  override readonly name = 'NotPermittedError'
  readonly kind = 'not-permitted'
}

/** A design, proposal, record or row that this store does not hold. */
export class NotFoundError extends CosmoError {
  override readonly name = 'NotFoundError'
  readonly kind = 'not-found'
}

/** Input that does not parse or verify: a malformed record, an unknown licence, a bad quantity. */
export class InvalidInputError extends CosmoError {
  override readonly name = 'InvalidInputError'
  readonly kind = 'invalid'
}

/** A design whose governance document holds no genesis bound to its id: nothing in it can be trusted. */
export class UnverifiableDesignError extends CosmoError {
  override readonly name = 'UnverifiableDesignError'
  readonly kind = 'invalid'
}

/** A bundle that is truncated, corrupted, tampered with or of an unknown version. Nothing was imported. */
export class BundleError extends CosmoError {
  override readonly name = 'BundleError'
  readonly kind = 'invalid'
}

/** The operation cannot proceed in the current state (for example: a proposal with nothing new to propose). */
export class StateError extends CosmoError {
  override readonly name = 'StateError'
  readonly kind = 'conflict'
}

/** No identity has been set up in this store yet. */
export class NoIdentityError extends CosmoError {
  override readonly name = 'NoIdentityError'
  readonly kind = 'not-found'
}

/** An OKH manifest that cannot be read at all: not TOML or YAML, not a table of fields, or too large. Nothing was imported. */
export class OkhParseError extends CosmoError {
  override readonly name = 'OkhParseError'
  readonly kind = 'invalid'
}
/** Bytes that do not match the hash, size or root they were given under. Nothing of them was kept. */
export class BlobIntegrityError extends CosmoError {
  override readonly name = 'BlobIntegrityError'
  readonly kind = 'invalid'
}

/** A blob (attachment bytes) that this store does not hold. */
export class BlobNotFoundError extends CosmoError {
  override readonly name = 'BlobNotFoundError'
  readonly kind = 'not-found'
}
