import type { RecordId, RejectedRecord } from '@cosmolocal/core'
import { cleanup, render, screen } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { IgnoredRecords } from '../src/components/IgnoredRecords.js'

afterEach(cleanup)

// The reasons are core's own (packages/core/test/adversarial.test.ts produces these records).
const mallory = '12D3KooWMaLLoRyMaLLoRyMaLLoRyMaLLoRyMaLLoRyMaLLoRy'
const rejected: RejectedRecord[] = [
  { id: 'r1' as RecordId, kind: 'governance', author: mallory, reason: "author was not a maintainer at the record's base" },
  { id: null, kind: null, author: null, reason: 'not a signed record: bad signature' },
]

describe('IgnoredRecords', () => {
  it('tells how many records failed verification, whose each was and why', () => {
    render(() => <IgnoredRecords records={rejected} what="design" />)
    expect(screen.getByText('2 records in this design failed verification and were ignored')).toBeTruthy()
    const [first, second] = screen.getAllByRole('listitem')
    expect(first!.textContent).toBe(`governance by 12D3KooW…: author was not a maintainer at the record's base`)
    expect(first!.querySelector('span')!.getAttribute('title')).toBe(mallory)
    expect(second!.textContent).toBe('record: not a signed record: bad signature')
  })

  it('says "was" for one record', () => {
    render(() => <IgnoredRecords records={rejected.slice(0, 1)} what="proposal" />)
    expect(screen.getByText('1 record in this proposal failed verification and was ignored')).toBeTruthy()
  })

  it('shows nothing when every record verified', () => {
    const { container } = render(() => <IgnoredRecords records={[]} what="proposal" />)
    expect(container.textContent).toBe('')
  })
})
