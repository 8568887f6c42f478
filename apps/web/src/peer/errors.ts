/** Turns anything thrown into a sentence for people. Core's errors carry a `kind`; an invalid input's message says what is wrong by itself. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const kind = (err as { kind?: string }).kind
    const prefix =
      kind === 'not-permitted' ? 'Not allowed: ' : kind === 'not-found' ? 'Not found: ' : kind === 'conflict' ? 'Cannot do that now: ' : ''
    return prefix + err.message
  }
  return String(err)
}

/** The network was asked for after its peer stopped (a page still acting on a peer being replaced). */
export class PeerStoppedError extends Error {
  override readonly name = 'PeerStoppedError'
  readonly kind = 'peer-stopped'
  constructor() {
    super('this peer has stopped; its network is not started again')
  }
}
