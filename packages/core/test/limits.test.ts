import { describe, expect, it } from 'vitest'
import { InvalidInputError, MAX_NOTES_LENGTH, MAX_README_LENGTH, MAX_RECORD_TEXT, MAX_STEP_BODY_LENGTH, parseContent } from '../src/index.js'
import { person } from './helpers.js'

const long = (n: number) => 'x'.repeat(n)

describe('length limits of long text', () => {
  it('take a readme, a step body and notes at their limits, and refuse one character more before writing anything', async () => {
    const { commons } = await person('alice')
    const id = await commons.createDesign({ title: 'Loom', readme: long(MAX_README_LENGTH) })
    const step = await commons.addStep(id, { title: 'Cut', body: long(MAX_STEP_BODY_LENGTH) })
    const row = await commons.addBomRow(id, { name: 'Bar', quantity: 1, notes: long(MAX_NOTES_LENGTH) })
    const before = (await commons.design(id)).state.canonicalHeads
    await expect(commons.editDesign(id, { readme: long(MAX_README_LENGTH + 1) })).rejects.toThrow(InvalidInputError)
    await expect(commons.setStep(id, step.id, { body: long(MAX_STEP_BODY_LENGTH + 1) })).rejects.toThrow(/body is longer than 20000 characters/)
    await expect(commons.setBomRow(id, row.id, { notes: long(MAX_NOTES_LENGTH + 1) })).rejects.toThrow(/notes is longer than 2000 characters/)
    await expect(commons.createDesign({ title: 'Big', readme: long(MAX_README_LENGTH + 1) })).rejects.toThrow(InvalidInputError)
    expect((await commons.design(id)).state.canonicalHeads).toEqual(before)
    expect(MAX_RECORD_TEXT).toBeLessThan(MAX_README_LENGTH)
  })

  it('cut longer text a document holds anyway (any client can write one), and say so', async () => {
    const { commons } = await person('alice')
    const id = await commons.createDesign({ title: 'Loom' })
    // A maintainer's client that ignores the limits writes (and signs) what it likes.
    await commons.changeContent(id, 'huge', (doc) => {
      doc.readme = long(MAX_README_LENGTH + 10)
      doc.steps.s = { title: doc.title, body: long(MAX_STEP_BODY_LENGTH + 10), position: 1 } as never
    })
    const d = await commons.design(id)
    expect(d.content.readme).toHaveLength(MAX_README_LENGTH)
    expect(d.content.steps[0]!.body).toHaveLength(MAX_STEP_BODY_LENGTH)
    expect(d.problems.map((p) => p.path).sort()).toEqual(['readme', 'steps.s.body'])
    expect(parseContent({}).problems.map((p) => p.path)).toEqual(['schema'])
  })
})
