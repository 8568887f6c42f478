/**
 * Drafts of what people type, kept in sessionStorage as they type: a form that is re-rendered,
 * a page reloaded or a tab restored gives back what was typed. Cleared once the draft is used.
 * One live draft per name, shared by every component that asks for it: two instances of a form
 * (a route rendered twice in quick succession) can never overwrite each other's input.
 */
import { createSignal, type Accessor } from 'solid-js'

const PREFIX = 'cosmolocal/draft/'

export interface Draft<T extends object> {
  value: Accessor<T>
  set<K extends keyof T>(key: K, v: T[K]): void
  clear(): void
}

const live = new Map<string, Draft<object>>()

export function createDraft<T extends object>(name: string, initial: T, storage: Storage = sessionStorage): Draft<T> {
  const existing = live.get(name)
  if (existing !== undefined) return existing as unknown as Draft<T>
  const draft = openDraft(name, initial, storage)
  live.set(name, draft as unknown as Draft<object>)
  return draft
}

function openDraft<T extends object>(name: string, initial: T, storage: Storage): Draft<T> {
  const key = PREFIX + name
  let restored: T = initial
  try {
    const raw = storage.getItem(key)
    if (raw !== null) restored = { ...initial, ...(JSON.parse(raw) as Partial<T>) }
  } catch {
    // an unreadable draft is dropped, never fatal
  }
  const [value, setValue] = createSignal<T>(restored)
  return {
    value,
    set(k, v) {
      const next = { ...value(), [k]: v }
      setValue(() => next)
      try {
        storage.setItem(key, JSON.stringify(next))
      } catch {
        // storage full or unavailable: the draft lives in memory only
      }
    },
    clear() {
      storage.removeItem(key)
      setValue(() => initial)
    },
  }
}
