import { existsSync, readFileSync } from 'node:fs'
import { parse as parseToml } from 'smol-toml'
import { describe, expect, it } from 'vitest'
import { exportOkh, importOkh, OkhParseError, OKH_LOSH_VERSION, type OkhWarning } from '../src/index.js'
import { person, prng } from './helpers.js'

// Real manifests: the OKH v1 ones and copies of the shared OKH-LOSH inputs (fixtures/okh/SOURCES.md).
const fixture = (f: string) => readFileSync(new URL(`./fixtures/okh/${f}`, import.meta.url), 'utf8')
const shared = fixture
const PLANKTOSCOPE = shared('PlanktoScope.okh.toml')
const OHLOOM = shared('OHLOOM.okh.toml')
const OPENFLEXURE = fixture('openflexure-microscope.okh.yml')
const SWITCH_PLATE = fixture('switch-plate-gopro.okh.yml')

function warned(warnings: OkhWarning[], path: string, problem: RegExp): void {
  expect(warnings.some((w) => w.path === path && problem.test(w.problem)), `${path} ${problem} in ${JSON.stringify(warnings, null, 1)}`).toBe(true)
}

// Next to a checkout of the project, the shared inputs: the committed copies must not drift from them.
const SHARED_DIR = new URL('../../../../shared/okh/', import.meta.url)

describe.skipIf(!existsSync(SHARED_DIR))('the committed manifests', () => {
  it('are the shared test inputs, byte for byte', () => {
    for (const f of ['OHLOOM.okh.toml', 'PlanktoScope.okh.toml']) expect(shared(f)).toBe(readFileSync(new URL(f, SHARED_DIR), 'utf8'))
  })
})

describe('OKH-LOSH import of real manifests', () => {
  it('reads PlanktoScope with its fields, and warns about each known defect', () => {
    const { format, design, warnings } = importOkh(PLANKTOSCOPE, { syntax: 'toml' })
    expect(format).toBe('okh-losh')
    expect(design).toMatchObject({
      title: 'PlanktoScope',
      summary: 'An open and affordable imaging platform for citizen oceanography',
      version: '2.5',
      licenses: { hardware: 'CERN-OHL-S-2.0' },
      licensor: 'Thibaut Pollina, Romain Bazile, Adam Larson, Will Major, Sebastian Wendel',
      languages: ['en'],
      readiness: { technology: 'OTRL-5', documentation: 'ODRL-3*' },
      bomRef: '/hardware/bom.csv',
      meta: {
        repo: 'https://github.com/PlanktoScope/PlanktoScope',
        readmeFile: '/README.md',
        userManual: '/docs/protocols/basic_primer.md',
        manufacturingInstructions: '/docs/hardware/manufacturing.md',
        contributionGuide: '/docs/contribute/hardware_development.md',
      },
      module: { tsdc: ['CNC', 'PCB', 'MEC', 'STD'], source: ['/hardware/case/PlanktoScope-Case.f3z', '/hardware/hat/Planktoscope-Hat.brd', '/hardware/hat/Planktoscope-Hat.sch'] },
      software: [{ release: '2.3', installationGuide: '/docs/usage/getting_started.md' }],
    })
    expect(design.parts).toHaveLength(2)
    expect(design.parts![1]).toMatchObject({
      name: 'PlanktoScope-HAT',
      tsdc: ['PCB'],
      source: ['/hardware/hat/Planktoscope-Hat.brd'],
      export: ['/hardware/hat/Planktoscope-Hat-gerber.zip', '/hardware/hat/Planktoscope-Hat-assembly.zip', '/hardware/hat/Planktoscope-Hat-diagram.pdf'],
      dimensions: 'cube(size = [100,65,10])',
      dimensionsUnit: 'mm',
    })
    // The defects SOURCES.md lists.
    warned(warnings, 'documentation-readiness-level', /ODRL-3\*/)
    warned(warnings, 'software[0].release', /version number, not a URL/)
  })

  it('reads OHLOOM with its fields, and warns about each known defect', () => {
    const { design, warnings } = importOkh(OHLOOM, { syntax: 'toml' })
    expect(design).toMatchObject({
      title: 'OHLOOM',
      version: '0.10.0',
      licenses: { hardware: 'CC-BY-SA-4.0' },
      licensor: 'Jens Meisner',
      languages: ['en-GB'],
      readiness: { technology: 'OTRL-5', documentation: null },
      bomRef: 'sBoM.csv',
      meta: { organization: 'OSE Germany e.V.', cpcPatentClass: 'D03D 35/00', outerDimensions: 'cube(size = [400,350,150]' },
      module: { tsdc: ['MEC'] },
    })
    expect(design.parts!.map((p) => p.name)).toContain('Ratchet Wheel')
    expect(design.parts!.find((p) => p.name === 'PoleBase')!.export).toEqual(['/3DParts/PoleBase/PoleBase.stl'])
    expect(design.parts!.find((p) => p.name === 'CombHolder')!.tsdc).toEqual(['CNC', 'COT'])
    warned(warnings, 'okhv', /"2\.0" is not "OKH-LOSHv1\.0"/)
    warned(warnings, 'technology-readiness-level', /OTLR-5.*misspelt.*OTRL-5/)
    warned(warnings, 'documentation-readiness-level', /ODLR-5.*not one of/)
    warned(warnings, 'organisation', /organization/)
    warned(warnings, 'outer-dimension', /unbalanced/)
    warned(warnings, 'part[1].outer-dimension', /unbalanced/)
    warned(warnings, 'part[0].tsdc', /single string where .* list/)
    warned(warnings, 'part[2].export', /single string where .* list/)
  })
})

describe('OKH v1 import of real manifests', () => {
  it('reads the OpenFlexure Microscope through its YAML error, mapping non-SPDX licences', () => {
    const { format, design, warnings } = importOkh(OPENFLEXURE, { syntax: 'yaml' })
    expect(format).toBe('okh-v1')
    expect(design).toMatchObject({
      title: 'OpenFlexure Microscope',
      version: '6.0.0',
      tags: ['open science', 'microscopy', 'fluorescence', 'raspberry pi', 'arduino'],
      licenses: { hardware: 'CERN-OHL-1.2', documentation: 'GPL-3.0-only', software: 'GPL-3.0-only' },
      licensor: 'Richard Bowman <rwb34@bath.ac.uk>',
      readiness: { technology: 'OTRL-5' },
      meta: { organization: 'University of Bath', repo: 'https://build.openflexure.org/openflexure-microscope/latest/docs/' },
    })
    expect(design.summary).toMatch(/^The OpenFlexure Microscope is a {2}3D printable microscope/)
    expect(design.readme).toMatch(/## Intended use\n\nMicroscopy for research/)
    expect(design.software!.map((s) => s.release)).toEqual([
      'https://gitlab.com/openflexure/openflexure-microscope-server',
      'https://gitlab.com/openflexure/openflexure-microscope-jsclient',
    ])
    warned(warnings, 'line 37', /YAML error.*reserved character @/)
    warned(warnings, 'documentation-language', /English-UK.*not a BCP 47/)
    warned(warnings, 'license.hardware', /read as CERN-OHL-1\.2/)
    warned(warnings, 'license.documentation', /deprecated SPDX id GPL-3\.0, read as GPL-3\.0-only/)
  })

  it('reads the GoPro switch plate with its files as parts', () => {
    const { design } = importOkh(SWITCH_PLATE)
    expect(design).toMatchObject({
      title: 'Switch Plate - GoPro Compatible',
      version: '1.0',
      licenses: { hardware: 'CC-BY-SA-4.0', documentation: 'CC-BY-SA-4.0' },
      languages: ['en-CA'],
      meta: { repo: 'https://github.com/makersmakingchange/Switch-Mounting-Plate-GoPro-Compatible' },
    })
    expect(design.parts).toEqual([{ name: '3D Printing Files', export: ['https://github.com/makersmakingchange/Switch-Mounting-Plate-GoPro-Compatible/Build_Files/3D_Printing_Files'] }])
  })

  it('reads derivative-of as the design it was forked from', () => {
    const { design } = importOkh('title: Loom\nderivative-of:\n  title: OHLOOM\n  web: https://gitlab.com/OSEGermany/ohloom\n', { syntax: 'yaml' })
    expect(design.meta!.forkOf).toBe('https://gitlab.com/OSEGermany/ohloom')
  })
})

describe('OKH-LOSH export', () => {
  async function imported(text: string) {
    const alice = await person('alice')
    const { design } = importOkh(text)
    const id = await alice.commons.createDesign(design)
    return { alice, d: await alice.commons.design(id) }
  }

  it('writes a manifest that parses as TOML with the required keys of the right types', async () => {
    const { d } = await imported(PLANKTOSCOPE)
    const { text, warnings } = exportOkh({ content: d.content, url: d.url, forkedFrom: null })
    expect(warnings).toEqual([])
    const m = parseToml(text) as Record<string, any>
    expect(m.okhv).toBe(OKH_LOSH_VERSION)
    for (const key of ['name', 'repo', 'version', 'license', 'licensor', 'function']) expect(typeof m[key], key).toBe('string')
    expect(m.repo).toMatch(/^https?:\/\//)
    expect(['OTRL-1', 'OTRL-2', 'OTRL-3', 'OTRL-4', 'OTRL-5']).toContain(m['technology-readiness-level'])
    for (const part of m.part) {
      expect(typeof part.name).toBe('string')
      expect(Array.isArray(part.source) || Array.isArray(part.export)).toBe(true)
      expect(part['outer-dimensions']).toEqual({ openSCAD: expect.any(String), unit: 'mm' })
    }
  })

  it('round-trips every field OKH-LOSH carries through export and import', async () => {
    for (const source of [PLANKTOSCOPE, OHLOOM]) {
      const { d } = await imported(source)
      const again = importOkh(exportOkh({ content: d.content, url: d.url, forkedFrom: null }).text)
      const alice = await person('alice')
      const d2 = await alice.commons.design(await alice.commons.createDesign(again.design))
      const strip = (c: typeof d.content) => ({ ...c, parts: c.parts.map(({ id: _, ...p }) => p), software: c.software.map(({ id: _, ...s }) => s) })
      expect(strip(d2.content)).toEqual(strip(d.content))
      expect(again.warnings.filter((w) => !/unbalanced|version number|ODRL-3\*/.test(w.problem))).toEqual([])
    }
  })

  it('writes a fork\'s lineage as fork-of, and reads it back', async () => {
    const { alice, d } = await imported(OHLOOM)
    const fork = await alice.commons.design(await alice.commons.fork(d.url))
    const { text } = exportOkh({ content: fork.content, url: fork.url, forkedFrom: fork.forkedFrom!.url })
    expect(parseToml(text)['fork-of']).toBe(d.url)
    expect(importOkh(text).design.meta!.forkOf).toBe(d.url)
  })

  it('says which required fields a design lacks', async () => {
    const alice = await person('alice')
    const d = await alice.commons.design(await alice.commons.createDesign({ title: 'Bare' }))
    const { warnings } = exportOkh({ content: d.content, url: d.url, forkedFrom: null })
    expect(warnings.map((w) => w.path).sort()).toEqual(['license', 'licensor', 'repo', 'version'])
  })
})

describe('malformed manifests', () => {
  it('reads a YAML manifest whose keys are lists or maps without a process warning, the odd keys unknown fields', async () => {
    const warned: string[] = []
    const onWarning = (w: Error) => warned.push(w.message)
    process.on('warning', onWarning)
    try {
      const { design } = importOkh('title: Loom\nlicense:\n  hardware: CERN-OHL-S-2.0\n? - software: GPL-3.0\n: yes\n? { path: x }\n: no\n', { syntax: 'yaml' })
      expect(design.title).toBe('Loom')
      // Node emits process warnings on a later tick.
      await new Promise((r) => setImmediate(r))
    } finally {
      process.off('warning', onWarning)
    }
    expect(warned).toEqual([])
  })

  it('refuses text that is neither TOML nor a YAML mapping with one OkhParseError', () => {
    expect(() => importOkh('just some words, not a manifest')).toThrow(OkhParseError)
    expect(() => importOkh('name = = "x"', { syntax: 'toml' })).toThrow(/its TOML cannot be read \(there is a mistake near line 1\)/)
    expect(() => importOkh('x'.repeat(2_000_000))).toThrow(/larger than/)
  })

  it('refuses what is not a manifest with one plain sentence and its reason: empty, binary, broken, unrelated', () => {
    const reason = (text: string, syntax?: 'toml' | 'yaml') => {
      try {
        importOkh(text, syntax === undefined ? {} : { syntax })
      } catch (err) {
        expect(err).toBeInstanceOf(OkhParseError)
        expect((err as OkhParseError).message).toMatch(/^not an Open Know-How manifest: [^\n]*\.$/)
        expect((err as OkhParseError).message).not.toMatch(/column|offset|YAMLParseError|Unexpected/)
        return (err as OkhParseError).context.reason
      }
      return 'imported'
    }
    const png = new TextDecoder().decode(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]))
    expect(reason(png)).toBe('not-text')
    expect(reason('  \n')).toBe('empty')
    expect(reason('name = "Loom\nlicense = ', 'toml')).toBe('syntax')
    expect(reason('services:\n  web:\n    image: nginx\n', 'yaml')).toBe('not-a-manifest')
    expect(reason('name: my-app\nversion: 1.0.0\ndescription: a package\n', 'yaml')).toBe('not-a-manifest')
    expect(reason('[tool.poetry]\nname = "x"\n', 'toml')).toBe('not-a-manifest')
    expect(reason('title: Loom\nlicense:\n  hardware: CERN-OHL-S-2.0\n', 'yaml')).toBe('imported')
  })

  it('keeps what it can from a manifest with wrong types everywhere', () => {
    const { design, warnings } = importOkh(
      'okhv = 3\nname = ["A", "B"]\nversion = 1.5\nlicense = { a = 1 }\nlicensor = true\nsource = 7\npart = "p"\nsoftware = [1, { release = "https://x/r" }]\nrepo = "javascript:alert(1)"\n',
    )
    expect(design.title).toBe('A')
    expect(design.version).toBe('1.5')
    expect(design.software).toEqual([{ release: 'https://x/r', installationGuide: '' }])
    expect(design.meta!.repo).toBeUndefined()
    expect(warnings.length).toBeGreaterThan(5)
  })

  it('never throws anything but OkhParseError on randomly mutated real manifests (seeded)', async () => {
    const rand = prng(20240611)
    const sources = [PLANKTOSCOPE, OHLOOM, OPENFLEXURE, SWITCH_PLATE]
    const alice = await person('alice')
    const pieces = ['[', ']', '"', '=', '\n', '[[part]]\n', ' = [', '{', '}', '- ', ': ', '@', '\u0000', '1e999', 'true', '"ODRL-9"', '#', '\t', '..', '\\u']
    for (let i = 0; i < 300; i++) {
      let text = sources[i % sources.length]!
      const edits = 1 + Math.floor(rand() * 6)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * text.length)
        const r = rand()
        if (r < 0.4) text = text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)] + text.slice(at)
        else if (r < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 40))
        else {
          const from = Math.floor(rand() * text.length)
          text = text.slice(0, at) + text.slice(from, from + 80) + text.slice(at)
        }
      }
      let result
      try {
        result = importOkh(text)
      } catch (err) {
        expect(err, `seed step ${i}`).toBeInstanceOf(OkhParseError)
        continue
      }
      // Whatever was kept must be acceptable to the design model.
      await alice.commons.createDesign(result.design)
    }
  }, 60_000)
})

describe('OKH export of contributors', () => {
  it('lists them as comment lines (OKH-LOSH has no key for them), names cleaned so that none can write a key', async () => {
    const { content } = (await import('../src/index.js')).parseContent({ schema: 'cosmolocal/content@1', title: 'Loom' })
    const out = exportOkh({
      content,
      url: 'automerge:x',
      forkedFrom: null,
      contributors: [
        { id: '12D3KooWAlice', name: 'Alice' },
        { id: '12D3KooWMallory', name: 'Mallory\nlicense = "MIT"' },
        { id: '12D3KooWNameless', name: null },
      ],
    })
    expect(out.text).toMatch(/^# Contributors \(from its signed records; see its ValueFlows export\):\n# {3}Alice \(12D3KooWAlice\)\n# {3}Mallory license = "MIT" \(12D3KooWMallory\)\n# {3}\(12D3KooWNameless\)\n/m)
    expect(out.text).not.toMatch(/^license = "MIT"/m)
  })
})
