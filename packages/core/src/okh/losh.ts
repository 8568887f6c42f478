/** OKH-LOSH (`okh.toml`) read into a new design's input: the field mapping is in docs/okh.md. */
import type { DesignInit } from '../commons/editing.js'
import { type MetaKey, type PartInput } from '../details.js'
import { MAX_PARTS, MAX_SOFTWARE } from '../limits.js'
import { Draft, OKH_LOSH_VERSION, Reader, type Table } from './read.js'

// ---- OKH-LOSH --------------------------------------------------------------------------------

const LOSH_LINKS: Record<string, MetaKey> = {
  release: 'release',
  readme: 'readmeFile',
  'contribution-guide': 'contributionGuide',
  'user-manual': 'userManual',
  attestation: 'attestation',
}

/** Keys OKH-LOSH defines that a design has no place for: reported, not kept. */
const LOSH_NOT_KEPT = new Set(['standard-compliance', 'mass'])

export function readLosh(t: Table, r: Reader): DesignInit {
  const d = new Draft(r)
  const okhv = t.okhv
  if (okhv === undefined) r.warn('okhv', `missing: read as ${OKH_LOSH_VERSION}`)
  else if (okhv !== OKH_LOSH_VERSION) r.warn('okhv', `${JSON.stringify(okhv)} is not ${JSON.stringify(OKH_LOSH_VERSION)}: read as ${OKH_LOSH_VERSION}`)
  for (const [key, v] of Object.entries(t)) {
    switch (key) {
      case 'okhv':
        break
      case 'name':
        d.title = r.text(v, key)
        break
      case 'function':
        d.describe(v, key)
        break
      case 'version':
        d.version = r.text(v, key, { quiet: true })
        break
      case 'repo': {
        const repo = r.link(v, key)
        if (repo !== '' && !/^https?:\/\//i.test(repo)) r.warn(key, `${JSON.stringify(repo)} is not a web URL`)
        d.setMeta('repo', repo)
        break
      }
      case 'license':
        d.licence('hardware', v, key)
        break
      case 'licensor':
        d.licensor = r.text(v, key)
        break
      case 'organisation':
      case 'organization':
        if (key === 'organisation') r.warn(key, 'OKH-LOSH spells it "organization": read as organization')
        d.setMeta('organization', r.text(v, key))
        break
      case 'image':
        d.setMeta('image', r.link(v, key))
        break
      case 'manufacturing-instructions':
        d.setMeta('manufacturingInstructions', r.link(v, key))
        break
      case 'documentation-language':
        d.language(v, key)
        break
      case 'technology-readiness-level':
        d.readiness('technology', v, key)
        break
      case 'documentation-readiness-level':
        d.readiness('documentation', v, key)
        break
      case 'cpc-patent-class': {
        const cpc = r.text(v, key)
        if (cpc !== '' && !/^[A-HY]\d{2}[A-Z]( ?\d{1,4}\/\d{2,6})?$/.test(cpc)) r.warn(key, `${JSON.stringify(cpc)} is not a CPC class id (e.g. D03D 35/00): kept as written`)
        d.setMeta('cpcPatentClass', cpc)
        break
      }
      case 'bom':
        d.bomRef = r.link(v, key)
        break
      case 'tsdc':
        d.module.tsdc = r.list(v, key, 'tsdc', (x, p) => r.text(x, p))
        break
      case 'source':
      case 'export':
      case 'auxiliary':
        d.module[key] = r.links(v, key, key)
        break
      case 'outer-dimensions':
      case 'outer-dimension': {
        if (key === 'outer-dimension') r.once(key, 'older form of outer-dimensions (with outer-dimension-dim): read as outer-dimensions')
        const dim = d.dimensions(v, t['outer-dimension-dim'], key)
        d.setMeta('outerDimensions', dim.openscad)
        d.setMeta('outerDimensionsUnit', dim.unit)
        break
      }
      case 'outer-dimension-dim':
        break
      case 'fork-of':
        // Any URL: a Cosmolocal design's is automerge:…
        d.setMeta('forkOf', r.text(v, key))
        break
      case 'part':
        readParts(d, t.part, r)
        break
      case 'software':
        r.tables(v, key).forEach((s, i) => {
          if (d.software.length >= MAX_SOFTWARE) return r.warn(`software[${i}]`, `more than ${MAX_SOFTWARE} software entries: ignored`)
          const release = r.link(s.release, `software[${i}].release`)
          if (release === '') return r.warn(`software[${i}]`, 'has no release: ignored')
          if (/^v?\d+(\.\d+)*$/.test(release)) {
            r.warn(`software[${i}].release`, `${JSON.stringify(release)} looks like a version number, not a URL or path to the release: kept as written`)
          }
          for (const k of Object.keys(s)) if (k !== 'release' && k !== 'installation-guide') r.warn(`software[${i}].${k}`, 'unknown key: ignored')
          d.software.push({ release, installationGuide: r.link(s['installation-guide'], `software[${i}].installation-guide`) })
        })
        break
      default:
        if (key in LOSH_LINKS) d.setMeta(LOSH_LINKS[key]!, r.link(v, key))
        else if (LOSH_NOT_KEPT.has(key)) r.warn(key, 'not imported: a design has no place for it yet')
        else r.warn(key, 'not an OKH-LOSH key: ignored')
    }
  }
  return d.build()
}

const PART_KEYS = new Set(['name', 'image', 'tsdc', 'tsdc-id', 'source', 'export', 'auxiliary', 'material', 'outer-dimensions', 'outer-dimension', 'outer-dimension-dim'])

function readParts(d: Draft, v: unknown, r: Reader): void {
  const parts = r.tables(v, 'part')
  if (parts.length > MAX_PARTS) r.warn('part', `more than ${MAX_PARTS} parts: the rest are ignored`)
  parts.slice(0, MAX_PARTS).forEach((p, i) => {
    const path = `part[${i}]`
    let name = r.text(p.name, `${path}.name`)
    if (name === '') {
      name = `part ${i + 1}`
      r.warn(`${path}.name`, `missing: named "${name}"`)
    }
    if (p['tsdc-id'] !== undefined) r.warn(`${path}.tsdc-id`, 'OKH-LOSH calls it "tsdc": read as tsdc')
    const hasDims = p['outer-dimensions'] !== undefined || p['outer-dimension'] !== undefined
    if (p['outer-dimension'] !== undefined) r.once(`${path}.outer-dimension`, 'older form of outer-dimensions (with outer-dimension-dim): read as outer-dimensions')
    const dims = hasDims
      ? d.dimensions(p['outer-dimensions'] ?? p['outer-dimension'], p['outer-dimension-dim'], `${path}.${p['outer-dimensions'] !== undefined ? 'outer-dimensions' : 'outer-dimension'}`)
      : { openscad: '', unit: '' }
    const part: PartInput = {
      name,
      image: r.link(p.image, `${path}.image`),
      material: r.text(p.material, `${path}.material`),
      dimensions: dims.openscad,
      dimensionsUnit: dims.unit,
      tsdc: r.list(p.tsdc ?? p['tsdc-id'], `${path}.tsdc`, 'part tsdc', (x, q) => r.text(x, q)),
      source: r.links(p.source, `${path}.source`, 'part source'),
      export: r.links(p.export, `${path}.export`, 'part export'),
      auxiliary: r.links(p.auxiliary, `${path}.auxiliary`, 'part auxiliary'),
    }
    if (part.source!.length + part.export!.length === 0) r.warn(path, 'has neither source nor export files (OKH-LOSH needs one)')
    for (const k of Object.keys(p)) if (!PART_KEYS.has(k)) r.warn(`${path}.${k}`, k === 'mass' ? 'not imported: a part has no place for it yet' : 'not an OKH-LOSH part key: ignored')
    d.parts.push(part)
  })
}
