/**
 * What this browser follows and what of its activity the person has read: localStorage only.
 * Nothing here is ever written into a document or sent to a peer (read state is nobody else's
 * business). Designs the person maintains, and their upstreams, are followed by default (core's
 * `defaultFollows`, over the designs this browser holds); follow / unfollow override that.
 */
import { defaultFollows, emptyReadMarks, parseReadMarks, type DesignId, type PersonId, type ReadMarks } from '@cosmolocal/core'
import { createSignal } from 'solid-js'
import { toId } from './catalogue.js'
import { loadLibrary } from './library.js'

export const FOLLOWS_KEY = 'cosmolocal/follows'

export interface FollowsState {
  follow: string[]
  unfollow: string[]
  marks: ReadMarks
}

function read(storage: Storage): FollowsState {
  try {
    const raw = JSON.parse(storage.getItem(FOLLOWS_KEY) ?? '{}') as { follow?: unknown; unfollow?: unknown }
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
    return { follow: strings(raw.follow), unfollow: strings(raw.unfollow), marks: parseReadMarks(raw) }
  } catch {
    return { follow: [], unfollow: [], marks: emptyReadMarks() }
  }
}

const [state, setState] = createSignal<FollowsState>(typeof localStorage === 'undefined' ? { follow: [], unfollow: [], marks: emptyReadMarks() } : read(localStorage))

// Another tab of this browser changed them: the same person, the same state.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === FOLLOWS_KEY) setState(read(localStorage))
  })
}

function write(next: FollowsState): void {
  setState(next)
  localStorage.setItem(FOLLOWS_KEY, JSON.stringify({ follow: next.follow, unfollow: next.unfollow, read: next.marks.read }))
}

export const follows = state

/** The designs (ids) followed by default: those the person maintains here, and their upstreams. */
export function defaultFollowed(me: string | null): string[] {
  if (me === null) return []
  const designs = loadLibrary()
    .filter((i) => i.local)
    .map((i) => ({ id: toId(i.url) as DesignId, state: { maintainers: i.maintainers as PersonId[] }, forkedFrom: i.forkedFrom === null ? null : { design: toId(i.forkedFrom) as DesignId } }))
  return defaultFollows(designs, me as PersonId)
}

/** The designs followed now (ids): by default or explicitly, less those unfollowed. */
export function followed(me: string | null, s: FollowsState = state()): string[] {
  const out = new Set([...defaultFollowed(me), ...s.follow])
  for (const d of s.unfollow) out.delete(d)
  return [...out].sort()
}

export function isFollowing(me: string | null, design: string): boolean {
  return followed(me).includes(toId(design))
}

/** Follows a design; what happened on it before is not news (`keys`: its current item keys). */
export function follow(design: string, keys: string[] = []): void {
  const id = toId(design)
  const s = state()
  write({
    follow: s.follow.includes(id) ? s.follow : [...s.follow, id],
    unfollow: s.unfollow.filter((d) => d !== id),
    marks: { v: 1, read: { ...s.marks.read, [id]: keys } },
  })
}

export function unfollow(design: string): void {
  const id = toId(design)
  const s = state()
  const read = { ...s.marks.read }
  delete read[id]
  write({ follow: s.follow.filter((d) => d !== id), unfollow: s.unfollow.includes(id) ? s.unfollow : [...s.unfollow, id], marks: { v: 1, read } })
}

export function setMarks(marks: ReadMarks): void {
  write({ ...state(), marks })
}
