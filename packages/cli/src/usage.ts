/**
 * Exit codes and the usage error: what parsing a command line needs, without the rest of the
 * error mapping (errors.ts), which needs core.
 *
 * Exit codes: 0 success; 2 usage error; 3 not permitted; 4 not found; 5 invalid or
 * unverifiable input; 1 anything else (including core's 'conflict' kind).
 */
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
