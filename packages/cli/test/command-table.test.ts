/**
 * The static command table (what parsing and help read) and the group modules (what runs) name the
 * same commands, and the lists the table copies from other packages equal their sources.
 */
import { FILE_ROLES, META_KEYS } from '@cosmolocal/core'
import { DEFAULT_HUB_PORT } from '@cosmolocal/hub'
import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../src/index.js'
import { FILE_ROLE_NAMES, HUB_PORT, META_KEY_NAMES } from '../src/commands/options.js'

describe('the command table', () => {
  it('names each command once, and its group module implements exactly the commands that point to it', async () => {
    const names = COMMANDS.map((c) => c.name)
    expect(new Set(names).size).toBe(names.length)
    const byLoader = new Map<() => unknown, string[]>()
    for (const c of COMMANDS) byLoader.set(c.load, [...(byLoader.get(c.load) ?? []), c.name])
    for (const [load, listed] of byLoader) {
      const implemented = (await (load as (typeof COMMANDS)[number]['load'])()).map((r) => r.name)
      expect(implemented.sort()).toEqual(listed.sort())
    }
  })

  it('shows the same META keys, file roles and default hub port as the packages that define them', () => {
    expect(META_KEY_NAMES).toEqual([...META_KEYS])
    expect(FILE_ROLE_NAMES).toEqual([...FILE_ROLES])
    expect(HUB_PORT).toBe(DEFAULT_HUB_PORT)
  })
})
