/** A person id, shortened for reading, full in the title; "you" when it is the viewer. */
export function PersonName(props: { id: string; me?: string }) {
  const short = () => (props.id === props.me ? 'you' : `${props.id.slice(0, 8)}…${props.id.slice(-6)}`)
  return (
    <span class="person" title={props.id}>
      {short()}
    </span>
  )
}
