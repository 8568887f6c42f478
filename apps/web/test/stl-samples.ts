/** STL files made in the tests: a cube as binary and as ASCII STL. */
type Vec = readonly [number, number, number]
type Triangle = readonly [Vec, Vec, Vec]

/** The 12 triangles of an axis-aligned cube from (0,0,0) to (size,size,size), wound outwards. */
export function cubeTriangles(size = 20): Triangle[] {
  const s = size
  const p = (x: number, y: number, z: number): Vec => [x * s, y * s, z * s]
  const quads: [Vec, Vec, Vec, Vec][] = [
    [p(0, 0, 0), p(0, 1, 0), p(1, 1, 0), p(1, 0, 0)], // bottom
    [p(0, 0, 1), p(1, 0, 1), p(1, 1, 1), p(0, 1, 1)], // top
    [p(0, 0, 0), p(1, 0, 0), p(1, 0, 1), p(0, 0, 1)], // front
    [p(0, 1, 0), p(0, 1, 1), p(1, 1, 1), p(1, 1, 0)], // back
    [p(0, 0, 0), p(0, 0, 1), p(0, 1, 1), p(0, 1, 0)], // left
    [p(1, 0, 0), p(1, 1, 0), p(1, 1, 1), p(1, 0, 1)], // right
  ]
  return quads.flatMap(([a, b, c, d]) => [
    [a, b, c],
    [a, c, d],
  ])
}

/** A binary STL: 80-byte header, triangle count, 50 bytes per triangle (normals left zero). */
export function binaryStl(triangles: readonly Triangle[], header = 'cosmolocal test cube'): Uint8Array {
  const bytes = new Uint8Array(84 + triangles.length * 50)
  bytes.set(new TextEncoder().encode(header).slice(0, 80))
  const view = new DataView(bytes.buffer)
  view.setUint32(80, triangles.length, true)
  triangles.forEach((t, i) => {
    const at = 84 + i * 50
    t.forEach((v, j) => v.forEach((c, k) => view.setFloat32(at + 12 + j * 12 + k * 4, c, true)))
  })
  return bytes
}

export function asciiStl(triangles: readonly Triangle[], name = 'cube'): Uint8Array {
  const facets = triangles.map((t) => `facet normal 0 0 0\n  outer loop\n${t.map((v) => `    vertex ${v.join(' ')}\n`).join('')}  endloop\nendfacet\n`)
  return new TextEncoder().encode(`solid ${name}\n${facets.join('')}endsolid ${name}\n`)
}
