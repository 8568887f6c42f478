import type { ProposalSummary, VerifiedProposal } from '@cosmolocal/core'
import { cleanup, fireEvent, render, screen, within } from '@solidjs/testing-library'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ProposalDiscussion } from '../src/components/ProposalDiscussion.js'
import { openProposal, ProposeForm } from '../src/components/ProposeForm.js'
import { timeline } from '../src/peer/proposal-timeline.js'

afterEach(() => {
  cleanup()
  sessionStorage.clear()
})

const rev = (n: number, time: number, status: 'open' | 'superseded' | 'accepted') =>
  ({ number: n, status, record: `r${n}`, author: 'bob', time, heads: [], base: [], title: 'Bolted', description: `rev ${n}` }) as unknown as VerifiedProposal['revisions'][number]

const proposal = {
  url: 'automerge:P',
  revisions: [rev(1, 100, 'superseded'), rev(2, 300, 'open')],
  verdicts: [{ record: 'v1', author: 'alice', time: 300, revision: 'r2', verdict: 'accept', comment: 'Merged' }],
  comments: [{ record: 'c1', author: 'alice', time: 200, text: 'Use M8 bolts' }],
} as unknown as Pick<VerifiedProposal, 'url' | 'revisions' | 'verdicts' | 'comments'>

describe('proposal discussion', () => {
  it('orders revisions, comments and verdicts by time, a revision before what answers it', () => {
    expect(timeline(proposal).map((e) => `${e.kind}:${e.key}`)).toEqual(['revision:r1', 'comment:c1', 'revision:r2', 'verdict:v1'])
    expect(timeline(proposal).at(-1)).toMatchObject({ kind: 'verdict', revision: 2 })
  })

  it('lists each entry with its author and time, and posts a comment', async () => {
    const onComment = vi.fn().mockResolvedValue(undefined)
    render(() => <ProposalDiscussion proposal={proposal} me="alice" names={{ bob: 'Bob', alice: 'Alice' }} onComment={onComment} draftName="comment-test-1" />)
    const items = within(screen.getByRole('list', { name: 'Revisions and discussion' })).getAllByRole('listitem')
    expect(items).toHaveLength(4)
    expect(items[0]!.textContent).toMatch(/Revision 1.*by Bob · …bob,/)
    expect(items[1]!.textContent).toMatch(/you commented/)
    expect(items[1]!.textContent).toMatch(/Use M8 bolts/)
    expect(items[1]!.querySelector('time')).not.toBeNull()
    expect(items[2]!.textContent).toMatch(/Revision 2.*open/)
    const form = screen.getByRole('form', { name: 'Discuss this proposal' })
    fireEvent.click(within(form).getByRole('button', { name: 'Post comment' }))
    expect(await within(form).findByText('Write something first.')).toBeTruthy()
    fireEvent.input(within(form).getByLabelText('Your message'), { target: { value: 'Looks good' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Post comment' }))
    await vi.waitFor(() => expect(onComment).toHaveBeenCalledWith('Looks good'))
  })

  it('keeps a comment that failed to post, with the reason', async () => {
    const onComment = vi.fn().mockRejectedValue(new Error('hub unreachable'))
    render(() => <ProposalDiscussion proposal={proposal} me="alice" onComment={onComment} draftName="comment-test-2" />)
    const form = screen.getByRole('form', { name: 'Discuss this proposal' })
    fireEvent.input(within(form).getByLabelText('Your message'), { target: { value: 'Keep me' } })
    fireEvent.click(within(form).getByRole('button', { name: 'Post comment' }))
    expect(await within(form).findByText('hub unreachable')).toBeTruthy()
    expect((within(form).getByLabelText('Your message') as HTMLTextAreaElement).value).toBe('Keep me')
  })
})

describe('proposing again', () => {
  const summary = (status: ProposalSummary['status'], revisions: number, title = 'Bolted'): ProposalSummary => ({
    proposal: `automerge:${title}` as never,
    title,
    author: 'bob' as never,
    authorName: 'Bob',
    source: 'automerge:F' as never,
    status,
    time: 0,
    sourceAvailable: true,
    revisions,
    approvals: 0,
    threshold: 1,
  })

  it('adds a revision to the latest proposal that is not accepted, as core does', () => {
    expect(openProposal([summary('accepted', 1, 'Old'), summary('open', 1)])?.title).toBe('Bolted')
    expect(openProposal([summary('accepted', 2)])).toBeUndefined()
  })

  it('says the next proposal is revision 2, and reuses the title when none is typed', async () => {
    const onPropose = vi.fn().mockResolvedValue(undefined)
    render(() => <ProposeForm proposals={[summary('open', 1)]} onPropose={onPropose} draftName="propose-test-1" />)
    expect(screen.getByText(/as revision 2/)).toBeTruthy()
    fireEvent.input(screen.getByLabelText('Description'), { target: { value: 'Now with washers' } })
    fireEvent.click(screen.getByRole('button', { name: 'Propose revision 2' }))
    await vi.waitFor(() => expect(onPropose).toHaveBeenCalledWith('Bolted', 'Now with washers', null))
  })
})
