/**
 * The CLI's own errors, and the one place that maps any error to an exit code.
 *
 * Exit codes: 0 success; 2 usage error; 3 not permitted; 4 not found; 5 invalid or
 * unverifiable input; 1 anything else (including core's 'conflict' kind).
 */
import { CosmoError, type ErrorKind } from '@cosmolocal/core'

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notPermitted: 3,
  notFound: 4,
  invalid: 5,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** The command line itself is wrong: unknown command or option, missing option, bad number. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
  constructor(
    message: string,
    /** The command whose usage applies, for the hint line (e.g. "design new"). */
    readonly command: string | null = null,
  ) {
    super(message)
  }
}

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
