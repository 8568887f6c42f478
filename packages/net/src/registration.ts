/**
 * Protocol registration on a node, one change at a time. A Repo shut down and replaced on the same
 * node unregisters asynchronously; queueing per node keeps the new adapter's registration from
 * racing the old one's removal (libp2p refuses a second handler for a protocol).
 */
import type { Libp2p } from '@libp2p/interface'

const queues = new WeakMap<Libp2p, Promise<void>>()

export function onNodeQueue(node: Libp2p, task: () => Promise<void>): Promise<void> {
  const previous = queues.get(node) ?? Promise.resolve()
  const next = previous.then(task)
  queues.set(
    node,
    next.catch(() => undefined),
  )
  return next
}
