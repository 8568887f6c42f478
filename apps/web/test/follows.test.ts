import { beforeEach, describe, expect, it } from 'vitest'
import { FOLLOWS_KEY, follow, followed, follows, setMarks, unfollow } from '../src/peer/follows.js'
import { LIBRARY_KEY } from '../src/peer/library.js'

const me = 'me-id'
const lib = (items: { url: string; maintainers: string[]; forkedFrom: string | null }[]) =>
  localStorage.setItem(LIBRARY_KEY, JSON.stringify(items.map((i) => ({ ...i, title: '', summary: '', tags: [], materials: [], local: true, hub: false }))))

describe('follows, kept in this browser', () => {
  beforeEach(() => {
    localStorage.clear()
    // As another tab clearing them would: the state is read again from storage.
    window.dispatchEvent(new StorageEvent('storage', { key: FOLLOWS_KEY }))
  })

  it('follows the designs the person maintains here and their upstreams by default', () => {
    lib([
      { url: 'automerge:mine', maintainers: [me], forkedFrom: 'automerge:up' },
      { url: 'automerge:theirs', maintainers: ['someone'], forkedFrom: null },
    ])
    expect(followed(me)).toEqual(['mine', 'up'])
    expect(followed(null)).toEqual([])
  })

  it('follow and unfollow override the defaults; following starts with the past marked read; unfollowing forgets the marks', () => {
    lib([{ url: 'automerge:mine', maintainers: [me], forkedFrom: null }])
    follow('automerge:other', ['k1', 'k2'])
    expect(followed(me)).toEqual(['mine', 'other'])
    expect(follows().marks.read.other).toEqual(['k1', 'k2'])
    unfollow('automerge:mine')
    unfollow('automerge:other')
    expect(followed(me)).toEqual([])
    expect(follows().marks.read.other).toBeUndefined()
    setMarks({ v: 1, read: { x: ['a'] } })
    // Stored only here, in one key.
    expect(JSON.parse(localStorage.getItem(FOLLOWS_KEY)!)).toEqual({ follow: [], unfollow: ['mine', 'other'], read: { x: ['a'] } })
  })
})
