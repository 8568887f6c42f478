import { describe, expect, it } from 'vitest'
import { altFromName, extensionOf, formatBytes, guessRole, mediaKind } from '../src/attachments/media.js'
import { acceptsFile, refusalMessages, sortPicked } from '../src/attachments/pick.js'
import { checkPositions, checkStl } from '../src/attachments/stl.js'
import { asciiStl, binaryStl, cubeTriangles } from './stl-samples.js'

describe('mediaKind', () => {
  it('calls STL a mesh by extension, whatever the media type says', () => {
    expect(mediaKind('frame.stl', 'application/octet-stream')).toBe('mesh')
    expect(mediaKind('FRAME.STL', '')).toBe('mesh')
    expect(mediaKind('frame.stl', 'text/plain')).toBe('mesh')
  })

  it('calls STL a mesh by media type, whatever the name', () => {
    expect(mediaKind('frame', 'model/stl')).toBe('mesh')
    expect(mediaKind('frame.bin', 'application/vnd.ms-pki.stl')).toBe('mesh')
    expect(mediaKind('frame', 'Model/STL; charset=binary')).toBe('mesh')
  })

  it('calls images browsers can show images', () => {
    expect(mediaKind('photo.jpg', 'image/jpeg')).toBe('image')
    expect(mediaKind('diagram.svg', 'image/svg+xml')).toBe('image')
    expect(mediaKind('photo.webp', '')).toBe('image')
    expect(mediaKind('photo.png', 'application/octet-stream')).toBe('image')
  })

  it('leaves other files, and images browsers cannot decode, as other', () => {
    expect(mediaKind('scan.tiff', 'image/tiff')).toBe('other')
    expect(mediaKind('frame.step', 'model/step')).toBe('other')
    expect(mediaKind('manual.pdf', 'application/pdf')).toBe('other')
    expect(mediaKind('photo.png', 'text/plain')).toBe('other')
    expect(mediaKind('noext', '')).toBe('other')
  })
})

describe('guessRole', () => {
  it('guesses a role from the name and type', () => {
    expect(guessRole('frame.stl', '')).toBe('mesh')
    expect(guessRole('frame.3mf', 'model/3mf')).toBe('mesh')
    expect(guessRole('frame.step', 'application/octet-stream')).toBe('cad')
    expect(guessRole('loom.FCStd', '')).toBe('cad')
    expect(guessRole('cut.dxf', 'image/vnd.dxf')).toBe('drawing')
    expect(guessRole('front.jpg', 'image/jpeg')).toBe('photo')
    expect(guessRole('manual.pdf', 'application/pdf')).toBe('document')
  })
})

describe('formatBytes', () => {
  it('says B, KB and MB with at most one decimal', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1023)).toBe('1023 B')
    expect(formatBytes(1024)).toBe('1 KB')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(200 * 1024)).toBe('200 KB')
    expect(formatBytes(5 * 1024 * 1024 + 300 * 1024)).toBe('5.3 MB')
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MB')
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GB')
  })

  it('moves up a unit instead of saying 1024', () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe('1 MB')
  })

  it('says ? for a size that is not a size', () => {
    expect(formatBytes(-1)).toBe('?')
    expect(formatBytes(Number.NaN)).toBe('?')
  })
})

describe('names', () => {
  it('takes the extension of the last path segment', () => {
    expect(extensionOf('a/b.c/frame.STL')).toBe('stl')
    expect(extensionOf('.hidden')).toBe('')
    expect(extensionOf('Makefile')).toBe('')
  })

  it('makes alt text from a file name', () => {
    expect(altFromName('front-view_2.jpg')).toBe('front view 2')
    expect(altFromName('photos/Loom on table.png')).toBe('Loom on table')
    expect(altFromName('___.png')).toBe('___.png')
  })
})

describe('picking files', () => {
  const file = (name: string, size: number, type = '') => new File([new Uint8Array(size)], name, { type })

  it('matches accept lists by extension, wildcard and exact type', () => {
    expect(acceptsFile('.stl, image/*', file('a.STL', 1))).toBe(true)
    expect(acceptsFile('.stl, image/*', file('a.png', 1, 'image/png'))).toBe(true)
    expect(acceptsFile('.stl, image/*', file('a.pdf', 1, 'application/pdf'))).toBe(false)
    expect(acceptsFile('application/pdf', file('a.pdf', 1, 'application/pdf'))).toBe(true)
    expect(acceptsFile(undefined, file('anything', 1))).toBe(true)
    expect(acceptsFile(' ', file('anything', 1))).toBe(true)
  })

  it('refuses files over the limit and of other types, naming each', () => {
    const picked = sortPicked([file('ok.stl', 10), file('big.stl', 2048), file('notes.txt', 1, 'text/plain')], 1024, '.stl')
    expect(picked.accepted.map((f) => f.name)).toEqual(['ok.stl'])
    expect(refusalMessages(picked, 1024, '.stl')).toEqual([
      'Not attached, larger than the 1 KB limit: big.stl (2 KB).',
      'Not attached, not one of the accepted types (.stl): notes.txt.',
    ])
  })

  it('accepts a file exactly at the limit', () => {
    expect(sortPicked([file('edge.stl', 1024)], 1024).accepted).toHaveLength(1)
  })
})

describe('checkStl', () => {
  it('accepts a binary STL and counts its triangles', () => {
    expect(checkStl(binaryStl(cubeTriangles()))).toEqual({ ok: true, format: 'binary', triangles: 12 })
  })

  it('accepts a binary STL whose header starts with "solid", as exporters write', () => {
    expect(checkStl(binaryStl(cubeTriangles(), 'solid exported by a CAD tool'))).toEqual({ ok: true, format: 'binary', triangles: 12 })
  })

  it('accepts an ASCII STL', () => {
    expect(checkStl(asciiStl(cubeTriangles()))).toEqual({ ok: true, format: 'ascii', triangles: null })
  })

  it('rejects an empty file, a short file and a truncated binary file, saying why', () => {
    expect(checkStl(new Uint8Array())).toEqual({ ok: false, problem: 'the file is empty.' })
    expect(checkStl(new TextEncoder().encode('hello'))).toMatchObject({ ok: false, problem: expect.stringContaining('too short') })
    const cube = binaryStl(cubeTriangles())
    expect(checkStl(cube.subarray(0, cube.length - 7))).toMatchObject({ ok: false, problem: expect.stringContaining('claims 12 triangles') })
  })

  it('rejects random bytes claiming a huge triangle count', () => {
    const junk = new Uint8Array(500).fill(0xab)
    expect(checkStl(junk)).toMatchObject({ ok: false, problem: expect.stringContaining('may be truncated or not an STL') })
  })

  it('rejects a binary STL with no triangles and text that is not STL', () => {
    expect(checkStl(binaryStl([]))).toEqual({ ok: false, problem: 'the file holds no triangles.' })
    expect(checkStl(new TextEncoder().encode('solid nothing here\nendsolid'))).toMatchObject({ ok: false, problem: expect.stringContaining('no facets') })
  })

  it('reads a Uint8Array that is a view into a larger buffer', () => {
    const cube = binaryStl(cubeTriangles())
    const padded = new Uint8Array(cube.length + 16)
    padded.set(cube, 16)
    expect(checkStl(padded.subarray(16))).toEqual({ ok: true, format: 'binary', triangles: 12 })
  })

  it('checks parsed positions for triangles and numbers', () => {
    expect(checkPositions([])).toBe('no triangles could be read from it.')
    expect(checkPositions([0, 0, 0, 1, 0, 0, 0, 1, Number.NaN])).toBe('some of its coordinates are not numbers.')
    expect(checkPositions([0, 0, 0, 1, 0, 0, 0, 1, 0])).toBeNull()
  })
})
