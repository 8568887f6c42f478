/** A design's files as one zip (fflate), in a chunk of its own: loaded on the first "Download all". */
import { zipSync, type Zippable } from 'fflate'

/** Names made unique ("a.stl", "a (2).stl"); files no peer had are listed in MISSING.txt. */
export function zipFiles(files: readonly { name: string; bytes: Uint8Array }[], missing: readonly string[] = []): Uint8Array {
  const out: Zippable = {}
  const unique = (name: string) => {
    if (!(name in out)) return name
    const dot = name.lastIndexOf('.')
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
    for (let i = 2; ; i++) if (!(`${stem} (${i})${ext}` in out)) return `${stem} (${i})${ext}`
  }
  // Already-compressed formats gain nothing from deflate: stored, they zip faster.
  for (const f of files) out[unique(f.name)] = [f.bytes, { level: /\.(png|jpe?g|webp|gif|zip|3mf|glb)$/i.test(f.name) ? 0 : 6 }]
  if (missing.length > 0) {
    out[unique('MISSING.txt')] = new TextEncoder().encode(`Not in this zip (no connected peer had them when it was made):\n${missing.map((m) => `- ${m}`).join('\n')}\n`)
  }
  return zipSync(out)
}
