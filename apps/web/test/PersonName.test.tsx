import type { LogEntry, ProposalSummary } from '@cosmolocal/core'
import { cleanup, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { HistoryList } from '../src/components/HistoryList.js'
import { MaintainersPanel } from '../src/components/MaintainersPanel.js'
import { PersonName } from '../src/components/PersonName.js'
import { ProposalsList } from '../src/components/ProposalsList.js'
import { design } from './design-fixture.js'

afterEach(cleanup)

const wanjiru = '12D3KooWQzKfAj8cBnRCJfpw2jGaPHv2ScXxhG6mUNRxHnf2iN'
const impostor = '12D3KooWJ5bqQtRg9tWmD3rZ3cYgkT1yVXz7bFwK8PqLmEa4xY'

describe('PersonName', () => {
  it('shows the name with the end of the id, and the whole id in the tooltip', () => {
    render(() => <PersonName id={wanjiru} names={{ [wanjiru]: 'Wanjiru (Nairobi makerspace)' }} />)
    const el = screen.getByText('Wanjiru (Nairobi makerspace)').closest('.person')!
    expect(el.textContent).toBe('Wanjiru (Nairobi makerspace) · …Hnf2iN')
    expect(el.getAttribute('title')).toBe(`Wanjiru (Nairobi makerspace) — ${wanjiru}`)
  })

  it('shows the shortened id when no record names the person, and "you" for the viewer', () => {
    render(() => (
      <p>
        <PersonName id={wanjiru} /> and <PersonName id={impostor} me={impostor} names={{ [impostor]: 'Mallory' }} />
      </p>
    ))
    const [unnamed, me] = [...document.querySelectorAll('.person')]
    expect(unnamed!.textContent).toBe('12D3KooW…Hnf2iN')
    expect(unnamed!.getAttribute('title')).toBe(wanjiru)
    expect(me!.textContent).toBe('you')
  })

  it('keeps two people who chose the same name apart by their ids', () => {
    const names = { [wanjiru]: 'Wanjiru', [impostor]: 'Wanjiru' }
    render(() => (
      <p>
        <PersonName id={wanjiru} names={names} /> <PersonName id={impostor} names={names} />
      </p>
    ))
    const shown = [...document.querySelectorAll('.person')].map((e) => e.textContent)
    expect(shown).toEqual(['Wanjiru · …Hnf2iN', `Wanjiru · …${impostor.slice(-6)}`])
    expect(new Set(shown).size).toBe(2)
  })

  it('isolates the name so that right-to-left text cannot reorder the id after it', () => {
    render(() => <PersonName id={wanjiru} name={'\u05E9\u05E8\u05D4'} />)
    const name = document.querySelector('.person-name')!
    expect(name.tagName).toBe('BDI')
    expect(name.nextElementSibling!.textContent).toBe('· …Hnf2iN')
  })

  it('an explicit name wins over the lookup (an entry carries its author\'s name)', () => {
    render(() => <PersonName id={wanjiru} name="Wanjiru K." names={{ [wanjiru]: 'Wanjiru' }} />)
    expect(document.querySelector('.person')!.textContent).toBe('Wanjiru K. · …Hnf2iN')
  })
})

describe('names where people are listed', () => {
  it('the history names each record\'s author', () => {
    const entry = (author: string, authorName: string | null, summary: string): LogEntry =>
      ({ record: summary, kind: 'content', author, authorName, time: 1_700_000_000_000, summary, heads: [] }) as unknown as LogEntry
    render(() => <HistoryList entries={[entry(wanjiru, 'Wanjiru', 'created'), entry(impostor, null, 'edited')]} me="someone-else" />)
    const items = within(screen.getByRole('list')).getAllByRole('listitem')
    expect(items.map((i) => i.querySelector('.person')!.textContent)).toEqual(['12D3KooW…' + impostor.slice(-6), 'Wanjiru · …Hnf2iN'])
  })

  it('the history and the proposals say they are still being read, not that there is nothing', () => {
    render(() => (
      <>
        <HistoryList entries={[]} me="someone-else" reading />
        <ProposalsList proposals={[]} me="someone-else" reading />
      </>
    ))
    expect(screen.getByText('Reading the history…')).toBeTruthy()
    expect(screen.getByText('Reading proposals…')).toBeTruthy()
    expect(screen.queryByText('No proposals.')).toBeNull()
  })

  it('the proposals list names each author', () => {
    const p = { proposal: 'automerge:P', title: 'Bolts', author: wanjiru, authorName: 'Wanjiru', source: null, status: 'open', revisions: 1, approvals: 0, threshold: 1 } as unknown as ProposalSummary
    render(() => <ProposalsList proposals={[p]} me="someone-else" />)
    expect(screen.getByRole('listitem').textContent).toMatch(/Bolts\s*open by Wanjiru · …Hnf2iN/)
  })

  it('the maintainers panel names the maintainers it knows, shortens the others, and links to their pages', () => {
    const d = design()
    ;(d.state as { maintainers: string[]; threshold: number }).maintainers = [wanjiru, impostor]
    ;(d.state as { threshold: number }).threshold = 1
    const none = async () => {}
    render(() => <MaintainersPanel state={d.state} me="someone-else" names={{ [wanjiru]: 'Wanjiru' }} editable={false} onAdd={none} onRemove={none} onThreshold={none} onApprove={none} />)
    const people = [...document.querySelectorAll('.maintainers .person')]
    expect(people.map((e) => e.textContent)).toEqual(['Wanjiru · …Hnf2iN', `12D3KooW…${impostor.slice(-6)}`])
    expect(people[0]!.getAttribute('href')).toBe(`#/person/${wanjiru}`)
  })
})
