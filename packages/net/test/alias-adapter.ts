/**
 * automerge-repo's acceptance suite creates its Repos with fixed peer ids ('alice', 'a', 'left').
 * Our adapter refuses any id but the node's own (remote peers would see every message as forged),
 * so the suite runs each adapter behind this shim, which renames at the Repo boundary only: the
 * suite's names become libp2p peer ids on the way out and back on the way in. Everything on the
 * wire goes through the real adapter, with its checks.
 */
import { NetworkAdapter, type Message, type PeerId, type PeerMetadata } from '@automerge/automerge-repo'
import type { Libp2pNetworkAdapter } from '../src/index.js'

/** The names one suite setup has bound to libp2p peer ids. */
export class Directory {
  readonly #idByName = new Map<string, string>()
  readonly #nameById = new Map<string, string>()

  bind(name: string, id: string): void {
    this.#idByName.set(name, id)
    this.#nameById.set(id, name)
  }

  idOf(name: string): PeerId {
    return (this.#idByName.get(name) ?? name) as PeerId
  }

  nameOf(id: string): PeerId {
    return (this.#nameById.get(id) ?? id) as PeerId
  }
}

export class AliasAdapter extends NetworkAdapter {
  readonly #inner: Libp2pNetworkAdapter
  readonly #id: string
  readonly #directory: Directory

  constructor(inner: Libp2pNetworkAdapter, libp2pId: string, directory: Directory) {
    super()
    this.#inner = inner
    this.#id = libp2pId
    this.#directory = directory
    inner.on('peer-candidate', ({ peerId, peerMetadata }) => {
      this.emit('peer-candidate', { peerId: directory.nameOf(peerId), peerMetadata })
    })
    inner.on('peer-disconnected', ({ peerId }) => this.emit('peer-disconnected', { peerId: directory.nameOf(peerId) }))
    inner.on('message', message => {
      this.emit('message', { ...message, senderId: directory.nameOf(message.senderId), targetId: directory.nameOf(message.targetId) })
    })
    inner.on('close', () => this.emit('close'))
  }

  isReady(): boolean {
    return this.#inner.isReady()
  }

  whenReady(): Promise<void> {
    return this.#inner.whenReady()
  }

  connect(peerId: PeerId, peerMetadata?: PeerMetadata): void {
    this.#directory.bind(peerId, this.#id)
    this.peerId = peerId
    this.#inner.connect(this.#id as PeerId, peerMetadata)
  }

  send(message: Message): void {
    this.#inner.send({
      ...message,
      senderId: this.#directory.idOf(message.senderId),
      targetId: this.#directory.idOf(message.targetId),
    })
  }

  disconnect(): void {
    this.#inner.disconnect()
  }
}
