/** The one place that maps any error to an exit code (see usage.ts for the codes). */
import { CosmoError, type ErrorKind } from '@cosmolocal/core'
import { EXIT, UsageError, type ExitCode } from './usage.js'

export { EXIT, UsageError, type ExitCode } from './usage.js'

const BY_KIND: Record<ErrorKind, ExitCode> = {
  'not-permitted': EXIT.notPermitted,
  'not-found': EXIT.notFound,
  invalid: EXIT.invalid,
  conflict: EXIT.failure,
  internal: EXIT.failure,
}

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof UsageError) return EXIT.usage
  if (err instanceof CosmoError) return BY_KIND[err.kind] ?? EXIT.failure
  return EXIT.failure
}

/** Errors whose message is meant for the user: printed as one line, never with a stack. */
export function isExpected(err: unknown): err is UsageError | CosmoError {
  return err instanceof UsageError || err instanceof CosmoError
}
