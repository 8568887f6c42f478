import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aliceAndBob, assertBuilt, cosmo, expectFailure, json, Scratch } from './helpers.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

describe('permissions', () => {
  it('refuses a non-maintainer\'s accept, edits and self-promotion with exit 3, changing nothing', async () => {
    const { bob, design, frame, fork } = await aliceAndBob(scratch)
    await json(bob.home, 'bom', 'add', fork, '--name', 'bolt', '--quantity', '8')
    const { proposal } = await json(bob.home, 'propose', '--from', fork, '--to', design, '--title', 'Bolts')
    const shown = await json(bob.home, 'design', 'show', design)
    const log = await json(bob.home, 'log', design)
    const maintainers = await json(bob.home, 'maintainers', design)

    const attempts = [
      ['review', proposal, '--accept'],
      ['design', 'edit', design, '--title', 'Bob\'s loom now'],
      ['bom', 'add', design, '--name', 'bolt', '--quantity', '8'],
      ['bom', 'set', design, frame, '--quantity', '40'],
      ['step', 'add', design, '--title', 'Paint', '--body', 'paint it'],
      ['maintainers', 'add', design, bob.id],
      ['maintainers', 'threshold', design, '1'],
    ]
    for (const args of attempts) {
      expectFailure(await cosmo(bob.home, ...args), 3, /maintainer/)
    }
    const refused = await cosmo(bob.home, '--json', 'review', proposal, '--accept')
    expect(refused.code).toBe(3)
    expect(refused.json).toEqual({ error: { name: 'NotPermittedError', message: expect.stringMatching(/only maintainers/) } })

    expect(await json(bob.home, 'design', 'show', design)).toEqual(shown)
    expect(await json(bob.home, 'log', design)).toEqual(log)
    expect(await json(bob.home, 'maintainers', design)).toEqual(maintainers)
    expect((await json(bob.home, 'proposals', design))[0]).toMatchObject({ status: 'open', approvals: 0 })
  })
})
