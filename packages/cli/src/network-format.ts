/** Small formatting helpers for the network commands. */
export { GOVERNANCE_SCHEMA, toUrl } from '@cosmolocal/core'

export function isoTimeOrEmpty(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : ''
}
