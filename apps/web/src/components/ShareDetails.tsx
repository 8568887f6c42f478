/** "Share / details": the design's address (automerge: URL) with a copy button, and that it is verified. */
import { createSignal, Show } from 'solid-js'

export function ShareDetails(props: { url: string }) {
  const [copied, setCopied] = createSignal<string | null>(null)
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.url)
      setCopied('Copied.')
    } catch {
      setCopied('Could not copy: select the address and copy it by hand.')
    }
  }
  return (
    <details class="share">
      <summary>Share / details</summary>
      <p>
        Anyone with this address can open the design from any Cosmolocal peer or automerge-repo app; what they see is checked against its
        maintainers' signatures.
      </p>
      <div class="row">
        <code class="wrap" data-testid="design-url">
          {props.url}
        </code>
        <button type="button" class="secondary" onClick={() => void copy()}>
          Copy address
        </button>
        <Show when={copied()}>
          <span role="status">{copied()}</span>
        </Show>
      </div>
    </details>
  )
}
