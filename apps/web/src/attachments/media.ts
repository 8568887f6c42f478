/**
 * What the web app can do with an attached file, decided from its name and media type alone:
 * preview a mesh in 3D, show an image, or only offer it for download. Also the roles a file can
 * play in a design, a guess at the role for a new upload, and sizes people can read.
 */

/** How the design page presents a file. */
export type MediaKind = 'mesh' | 'image' | 'other'

/** The roles a file plays in a design (`FileRef.role`). */
export const FILE_ROLES = ['cad', 'mesh', 'drawing', 'photo', 'document'] as const
export type FileRole = (typeof FILE_ROLES)[number]

// Browsers and operating systems report STL under several names; `model/stl` is the registered one.
const STL_TYPES = new Set(['model/stl', 'model/x.stl-binary', 'model/x.stl-ascii', 'application/sla', 'application/vnd.ms-pki.stl'])

// Only formats every current browser decodes in <img>; TIFF, HEIC and the like stay downloads.
// SVG is safe here: an <img> never runs its scripts.
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/svg+xml', 'image/bmp'])
const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'svg', 'bmp'])

// Media types that say nothing about the content: fall back to the file name.
const UNKNOWN_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream'])

const CAD_EXTENSIONS = new Set(['step', 'stp', 'iges', 'igs', 'scad', 'fcstd', 'f3d', 'f3z', 'sldprt', 'sldasm', 'ipt', 'iam', 'brep', 'dwg', 'skp'])
const MESH_EXTENSIONS = new Set(['stl', 'obj', '3mf', 'ply', 'amf', 'gltf', 'glb', 'off'])
const DRAWING_EXTENSIONS = new Set(['dxf', 'svg', 'kicad_pcb', 'kicad_sch', 'gbr', 'ger', 'brd', 'sch'])

/** The lower-cased extension of a file name, without the dot ('' when there is none). */
export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1)
  const dot = base.lastIndexOf('.')
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase()
}

function normalType(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase()
}

/** Mesh (STL, by extension or media type), image (a type browsers show), or other. */
export function mediaKind(name: string, mediaType: string): MediaKind {
  const type = normalType(mediaType)
  const ext = extensionOf(name)
  if (STL_TYPES.has(type) || ext === 'stl') return 'mesh'
  if (IMAGE_TYPES.has(type)) return 'image'
  if (UNKNOWN_TYPES.has(type) && IMAGE_EXTENSIONS.has(ext)) return 'image'
  return 'other'
}

/** A first guess at the role of a file being attached; people can change it. */
export function guessRole(name: string, mediaType: string): FileRole {
  const type = normalType(mediaType)
  const ext = extensionOf(name)
  if (MESH_EXTENSIONS.has(ext) || STL_TYPES.has(type) || type.startsWith('model/')) return 'mesh'
  if (CAD_EXTENSIONS.has(ext)) return 'cad'
  if (DRAWING_EXTENSIONS.has(ext)) return 'drawing'
  if (mediaKind(name, mediaType) === 'image' || type.startsWith('image/')) return 'photo'
  return 'document'
}

const UNITS = ['KB', 'MB', 'GB', 'TB'] as const

/** A byte count for people: "512 B", "1.5 KB", "12 MB" (binary multiples, one decimal below 10). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?'
  if (bytes < 1024) return `${Math.round(bytes)} B`
  let value = bytes
  let unit: (typeof UNITS)[number] = 'KB'
  for (const u of UNITS) {
    value /= 1024
    unit = u
    if (value < 1024) break
  }
  const shown = value < 10 ? Math.round(value * 10) / 10 : Math.round(value)
  // 1023.96 KB rounds to 1024 KB: say 1 MB instead.
  if (shown >= 1024 && unit !== 'TB') return `1 ${UNITS[UNITS.indexOf(unit) + 1]}`
  return `${shown} ${unit}`
}

/** "40%" of a transfer, or '' when the total is unknown. */
export function percentOf(loaded: number, total: number): string {
  if (!(total > 0)) return ''
  return `${Math.min(100, Math.floor((loaded / total) * 100))}%`
}

/** Alt text for a photo known only by its file name: "front-view_2.jpg" → "front view 2". */
export function altFromName(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1)
  const ext = extensionOf(base)
  const stem = ext === '' ? base : base.slice(0, -(ext.length + 1))
  const words = stem.replace(/[-_.]+/g, ' ').replace(/\s+/g, ' ').trim()
  return words === '' ? name : words
}
