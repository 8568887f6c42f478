import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { generateAutomergeUrl } from '@automerge/automerge-repo'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertBuilt, cosmo, expectFailure, json, ok, person, Scratch } from './helpers.js'

const scratch = new Scratch()
beforeAll(assertBuilt)
afterAll(() => scratch.cleanup())

describe('errors and exit codes', () => {
  it('exits 2 with one line on stderr for usage errors', async () => {
    const alice = await person(scratch, 'alice')
    const { design } = await json(alice.home, 'design', 'new', '--title', 'Loom')
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"/],
      [['design', 'frobnicate'], /unknown command "design frobnicate"/],
      [['design'], /needs a subcommand/],
      [['design', 'new', '--colour', 'red', '--title', 'X'], /unknown option --colour/],
      [['design', 'new'], /missing required option --title/],
      [['design', 'show'], /missing URL/],
      [['design', 'show', design, 'extra'], /unexpected argument "extra"/],
      [['design', 'new', '--title'], /--title/],
      [['bom', 'add', design, '--name', 'bolt', '--quantity', 'lots'], /--quantity must be a number/],
      [['maintainers', 'threshold', design, 'two'], /threshold must be/],
      [['diff', design, '--revision', '0'], /--revision must be a whole number/],
      [['review', design], /exactly one of --accept or --reject/],
      [['review', design, '--accept', '--reject'], /exactly one of --accept or --reject/],
      [['design', 'edit', design], /nothing to change/],
      [['bom', 'set', design, 'someid'], /nothing to change/],
    ]
    for (const [args, message] of cases) expectFailure(await cosmo(alice.home, ...args), 2, message)
    // Nothing was written by any of them.
    expect(await json(alice.home, 'design', 'list')).toEqual([{ design, title: 'Loom', maintainer: true }])
  })

  it('exits 4 for an unknown design, and prints the error object with --json', async () => {
    const home = join(await scratch.dir(), 'erin')
    const unknown = generateAutomergeUrl()
    expectFailure(await cosmo(home, 'design', 'show', unknown), 4, /not in this store/)
    const r = await cosmo(home, 'design', 'show', unknown, '--json')
    expect(r.code).toBe(4)
    expect(r.json).toEqual({ error: { name: 'NotFoundError', message: expect.stringContaining(unknown) } })
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    const usage = await cosmo(home, '--json', 'design', 'new')
    expect(usage.code).toBe(2)
    expect(usage.json).toEqual({ error: { name: 'UsageError', message: expect.stringMatching(/--title/) } })
    // No identity yet: not found (4), with what to do about it.
    expectFailure(await cosmo(home, 'design', 'new', '--title', 'Loom'), 4, /cosmo id init/)
    expectFailure(await cosmo(home, 'id', 'show'), 4, /cosmo id init/)
    // A malformed URL is invalid input (5).
    expectFailure(await cosmo(home, 'design', 'show', 'not-a-url'), 5, /not a design URL/)
  })

  it('keeps the key file private (0600, home 0700) and refuses to overwrite it without --force', async () => {
    const home = join(await scratch.dir(), 'frank', 'nested')
    const created = await json(home, 'id', 'init', '--name', 'frank')
    expect(created).toEqual({ id: expect.stringMatching(/^12D3KooW/), name: 'frank' })
    expect((await stat(join(home, 'identity.json'))).mode & 0o777).toBe(0o600)
    expect((await stat(home)).mode & 0o777).toBe(0o700)
    expect(await json(home, 'id', 'show')).toEqual(created)

    expectFailure(await cosmo(home, 'id', 'init', '--name', 'frank again'), 1, /already exists.*--force/)
    expect(await json(home, 'id', 'show')).toEqual(created)
    const replaced = await json(home, 'id', 'init', '--name', 'frank again', '--force')
    expect(replaced.id).not.toBe(created.id)
    expect((await stat(join(home, 'identity.json'))).mode & 0o777).toBe(0o600)
  })

  it('takes global options anywhere and prints help and version', async () => {
    const home = join(await scratch.dir(), 'gina')
    expect((await cosmo(home, 'id', '--json', 'init', '--name', 'gina')).json.name).toBe('gina')
    expect((await ok(home, '--version')).stdout).toMatch(/^cosmo \d+\.\d+\.\d+/)
    expect((await ok(home, '--help')).stdout).toMatch(/design new/)
    expect((await ok(home, 'bom', 'add', '-h')).stdout).toMatch(/Usage: cosmo bom add URL --name N --quantity Q/)
  })
})
