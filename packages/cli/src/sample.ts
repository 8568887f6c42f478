/**
 * A small sample commons for `npm start` (`cosmo serve --sample`): a few real-looking open
 * hardware designs with BOMs and build steps, a community fork, and an open proposal back
 * upstream. Written with the same operations people use, by sample makers whose keys are not
 * kept: their records are signed and verify like any other.
 */
import type { Repo } from '@automerge/automerge-repo'
import { join } from 'node:path'
import { Commons, createIdentity, type BlobStore, type BomRowInput, type Identity } from '@cosmolocal/core'
import { readKeyFile, writeKeyFile } from './keyfile.js'
import { frameStl, heddleSvg } from './sample-files.js'

/** Where `cosmo serve --sample` keeps the sample designs' maintainer key (a shared demo key). */
export const SAMPLE_MAINTAINER_FILE = 'sample-maintainer.json'
export const SAMPLE_MAINTAINER_NAME = 'Amara (OHLOOM maintainer)'

/**
 * The sample maintainer's key in `home`: read when kept, made (and kept) when `seeding` a new
 * sample commons. Null for a home seeded before keys were kept: its designs' maintainer is lost.
 */
export async function sampleMaintainer(home: string, seeding: boolean): Promise<Identity | null> {
  const path = join(home, SAMPLE_MAINTAINER_FILE)
  const kept = await readKeyFile(path)
  if (kept !== null || !seeding) return kept
  const made = await createIdentity(SAMPLE_MAINTAINER_NAME)
  await writeKeyFile(path, made)
  return made
}

export interface SampleCommons {
  designs: string[]
  fork: string
  proposal: string
}

async function design(
  c: Commons,
  init: Parameters<Commons['createDesign']>[0],
  bom: BomRowInput[],
  steps: { title: string; body: string }[],
): Promise<string> {
  const url = await c.createDesign(init)
  for (const row of bom) await c.addBomRow(url, row)
  for (const step of steps) await c.addStep(url, step)
  return url
}

/**
 * `blobs`: where the sample's files go (the hub's store); without it the designs have no files.
 * `maintainer`: the key that maintains the loom and the dryer (`cosmo serve --sample` keeps it as
 * the hub's shared demo key; the screenshots sign in with it); by default a new one nobody keeps.
 */
export async function seedSampleCommons(repo: Repo, blobs: BlobStore | null = null, maintainer?: Identity): Promise<SampleCommons> {
  const amara = new Commons(repo, maintainer ?? (await createIdentity(SAMPLE_MAINTAINER_NAME)), blobs)
  const jonas = new Commons(repo, await createIdentity('Jonas'), blobs)
  const wanjiru = new Commons(repo, await createIdentity('Wanjiru (Nairobi makerspace)'), blobs)

  const loom = await design(
    amara,
    {
      title: 'OHLOOM frame loom',
      summary: 'A small, open source frame loom for weaving 40 cm wide cloth, built from wood and a few bolts.',
      readme:
        '# OHLOOM\n\nA frame loom anyone can build with hand tools. The rigid heddle lifts half of the warp at a time; the cloth is wound on the front beam as you weave.\n\n## Tools\n\n- saw, drill (6 mm and 8 mm), sandpaper\n- a 10 mm spanner\n',
      version: '1.2',
      tags: ['textiles', 'weaving', 'woodwork'],
      licenses: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
    },
    [
      { name: 'Side bar 600 × 45 × 20 mm', quantity: 2, unit: 'pcs', material: 'beech' },
      { name: 'Warp beam 500 × 45 × 20 mm', quantity: 1, unit: 'pcs', material: 'beech' },
      { name: 'Cloth beam 500 × 45 × 20 mm', quantity: 1, unit: 'pcs', material: 'beech' },
      { name: 'Rigid heddle, 40 dents per 10 cm', quantity: 1, unit: 'pcs', material: 'plywood 4 mm', notes: 'laser cut, see heddle.svg' },
      { name: 'Carriage bolt M6 × 60', quantity: 4, unit: 'pcs', material: 'zinc-plated steel' },
      { name: 'Wing nut M6', quantity: 4, unit: 'pcs', material: 'steel' },
      { name: 'Warp yarn', quantity: 120, unit: 'm', material: 'cotton 8/4' },
    ],
    [
      { title: 'Cut the bars', body: 'Cut the side bars and beams to length and sand every edge.' },
      { title: 'Drill', body: 'Drill 6 mm holes 30 mm from each end of the side bars and beams.' },
      { title: 'Assemble the frame', body: 'Bolt the beams between the side bars; tighten the wing nuts by hand.' },
      { title: 'Warp', body: 'Tie the warp to the back beam, thread it through the heddle, and tie it to the cloth beam.' },
    ],
  )

  if (blobs !== null) {
    await amara.attachFile(loom, { name: 'ohloom-frame.stl', data: frameStl(), role: 'mesh' })
    await amara.attachFile(loom, { name: 'heddle.svg', data: heddleSvg(), role: 'drawing' })
  }

  const sifter = await design(
    jonas,
    {
      title: 'Compost sifter',
      summary: 'A rocking sifter that separates finished compost from twigs and stones.',
      tags: ['garden', 'woodwork'],
      licenses: { hardware: 'CERN-OHL-P-2.0', documentation: 'CC-BY-4.0' },
    },
    [
      { name: 'Frame board 800 × 95 × 22 mm', quantity: 4, unit: 'pcs', material: 'larch' },
      { name: 'Welded mesh 12 mm', quantity: 0.6, unit: 'm²', material: 'galvanised steel' },
      { name: 'Wood screw 4 × 40', quantity: 24, unit: 'pcs', material: 'stainless steel' },
      { name: 'Rocker 600 × 140 × 22 mm', quantity: 2, unit: 'pcs', material: 'larch' },
    ],
    [
      { title: 'Frame', body: 'Screw the four boards into a box.' },
      { title: 'Mesh', body: 'Staple the mesh to the bottom of the box, then fix it with battens.' },
    ],
  )

  const dryer = await design(
    amara,
    {
      title: 'Solar food dryer',
      summary: 'An indirect solar dryer for fruit and vegetables: a black collector warms air that rises through four trays.',
      tags: ['food', 'solar'],
      licenses: { hardware: 'CERN-OHL-W-2.0', documentation: 'CC-BY-SA-4.0' },
    },
    [
      { name: 'Collector box 1200 × 600 mm', quantity: 1, unit: 'pcs', material: 'plywood 12 mm' },
      { name: 'Polycarbonate twin-wall sheet', quantity: 0.72, unit: 'm²', material: 'polycarbonate 4 mm' },
      { name: 'Drying tray with food-safe mesh', quantity: 4, unit: 'pcs', material: 'pine, nylon mesh' },
      { name: 'Matte black paint', quantity: 0.5, unit: 'l', material: 'water-based' },
    ],
    [{ title: 'Collector', body: 'Paint the inside of the collector black and cover it with the polycarbonate sheet.' }],
  )

  // A Nairobi makerspace forks the loom for locally available materials and proposes part of it back.
  const fork = await wanjiru.fork(loom, { title: 'OHLOOM, Nairobi edition' })
  const d = await wanjiru.design(fork)
  const sideBar = d.content.bom.find((r) => r.name.startsWith('Side bar'))!
  await wanjiru.setBomRow(fork, sideBar.id, { material: 'grevillea', notes: 'local hardwood; any straight-grained wood works' })
  await wanjiru.addBomRow(fork, { name: 'Sisal cord for heddle ties', quantity: 5, unit: 'm', material: 'sisal' })
  await wanjiru.addStep(fork, { title: 'Oil', body: 'Oil the frame with linseed oil so that it does not crack in dry seasons.' })
  const { proposal } = await wanjiru.propose({
    from: fork,
    to: loom,
    title: 'Local hardwood and an oiling step',
    description: 'Beech is hard to find here; grevillea works as well. The oiling step helps in any dry climate.',
  })
  return { designs: [loom, sifter, dryer], fork, proposal: `automerge:${proposal}` }
}
