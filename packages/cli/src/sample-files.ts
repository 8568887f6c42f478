/**
 * Files for the sample commons: a mesh of the OHLOOM frame (binary STL, built from boxes) and a
 * drawing of its rigid heddle (SVG), so that `npm start` shows a 3D preview and a drawing.
 * Generated rather than committed as binaries: small, reviewable, and the same on every machine.
 */

/** An axis-aligned box: min corner and size, in millimetres. */
interface Box {
  at: [number, number, number]
  size: [number, number, number]
}

// The frame as the loom's BOM describes it: two side bars, warp and cloth beams across them.
const FRAME: Box[] = [
  { at: [0, 0, 0], size: [20, 600, 45] },
  { at: [480, 0, 0], size: [20, 600, 45] },
  { at: [-10, 20, 45], size: [520, 45, 20] },
  { at: [-10, 535, 45], size: [520, 45, 20] },
  { at: [20, 280, 30], size: [460, 4, 120] },
]

/** The 12 triangles of a box, wound counter-clockwise seen from outside. */
function boxTriangles({ at: [x, y, z], size: [w, d, h] }: Box): number[][][] {
  const p = (i: number): number[] => [x + (i & 1 ? w : 0), y + (i & 2 ? d : 0), z + (i & 4 ? h : 0)]
  const quads = [
    [0, 2, 3, 1], // bottom (z-)
    [4, 5, 7, 6], // top (z+)
    [0, 1, 5, 4], // front (y-)
    [2, 6, 7, 3], // back (y+)
    [0, 4, 6, 2], // left (x-)
    [1, 3, 7, 5], // right (x+)
  ]
  return quads.flatMap(([a, b, c, d]) => [
    [p(a!), p(b!), p(c!)],
    [p(a!), p(c!), p(d!)],
  ])
}

function normal([a, b, c]: number[][]): number[] {
  const u = [b![0]! - a![0]!, b![1]! - a![1]!, b![2]! - a![2]!]
  const v = [c![0]! - a![0]!, c![1]! - a![1]!, c![2]! - a![2]!]
  const n = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!]
  const len = Math.hypot(n[0]!, n[1]!, n[2]!) || 1
  return n.map((x) => x / len)
}

/** Binary STL: 80-byte header, triangle count, then 50 bytes per triangle. */
export function frameStl(): Uint8Array {
  const triangles = FRAME.flatMap(boxTriangles)
  const bytes = new Uint8Array(84 + 50 * triangles.length)
  const view = new DataView(bytes.buffer)
  bytes.set(new TextEncoder().encode('OHLOOM frame, Cosmolocal sample commons'), 0)
  view.setUint32(80, triangles.length, true)
  let o = 84
  for (const t of triangles) {
    for (const v of [normal(t), ...t]) {
      for (const c of v) {
        view.setFloat32(o, c, true)
        o += 4
      }
    }
    o += 2 // attribute byte count: 0
  }
  return bytes
}

/** The rigid heddle: a 4 mm plywood board with alternating slots and holes, 40 dents per 10 cm. */
export function heddleSvg(): Uint8Array {
  const width = 440
  const dents = 176
  const pitch = (width - 40) / dents
  const marks: string[] = []
  for (let i = 0; i < dents; i++) {
    const x = (20 + i * pitch + pitch / 2).toFixed(2)
    marks.push(i % 2 === 0 ? `<rect x="${(Number(x) - 0.6).toFixed(2)}" y="25" width="1.4" height="70" rx="0.7"/>` : `<circle cx="${x}" cy="60" r="0.8"/>`)
  }
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} 120" width="${width}mm" height="120mm">`,
    '<title>OHLOOM rigid heddle, 40 dents per 10 cm (laser cut, 4 mm plywood)</title>',
    `<rect x="0.5" y="0.5" width="${width - 1}" height="119" rx="6" fill="#d8b27a" stroke="#4a2f0e" stroke-width="2"/>`,
    `<g fill="#3b250b">${marks.join('')}</g>`,
    '</svg>',
  ].join('\n')
  return new TextEncoder().encode(svg)
}
