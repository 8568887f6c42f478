/**
 * The stock automerge-repo WebSocket endpoint. The stock server adapter reports itself ready only
 * once its first client connects, and a Repo waits for every adapter to be ready before it loads
 * or requests documents: a hub that nobody had reached over WebSocket yet would never sync over
 * libp2p either. The hub's server is listening before the Repo starts, so it is ready from the start.
 */
import { NodeWSServerAdapter } from '@automerge/automerge-repo-network-websocket'

export class HubWebSocketEndpoint extends NodeWSServerAdapter {
  override isReady(): boolean {
    return true
  }

  override whenReady(): Promise<void> {
    return Promise.resolve()
  }
}
