/** A design written out as an OKH-LOSH manifest, with its contributors as comment lines. */
import { stringify as stringifyToml } from 'smol-toml'
import { cleanDisplayName } from '../identity.js'
import { type DesignContent } from '../schema.js'
import { OKH_LOSH_VERSION, type OkhWarning, type Table } from './read.js'

// ---- writing ---------------------------------------------------------------------------------

export interface OkhExportInput {
  content: DesignContent
  /** The design's own URL. */
  url: string
  /** The design it was forked from, if any: written as `fork-of`. */
  forkedFrom: string | null
  /**
   * Who contributed (from `Commons.contributions`). OKH-LOSH has no key for contributors (its
   * `licensor` is the rights holder, a legal statement, not a credit list), so they are written as
   * comment lines at the top of the manifest; the ValueFlows export carries them as data.
   */
  contributors?: readonly { id: string; name: string | null }[]
}

export interface OkhExport {
  /** The manifest: OKH-LOSH TOML. */
  text: string
  /** What the manifest lacks or leaves out (required fields the design does not have, licences OKH-LOSH has no key for). */
  warnings: OkhWarning[]
}

/** Writes a design as an OKH-LOSH manifest (`okh.toml`). */
export function exportOkh(input: OkhExportInput): OkhExport {
  const c = input.content
  const warnings: OkhWarning[] = []
  const out: Table = { okhv: OKH_LOSH_VERSION, name: c.title }
  const put = (key: string, v: string | string[] | null | undefined) => {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return
    out[key] = v
  }
  const required = (key: string, v: string, hint: string) => {
    if (v === '') warnings.push({ path: key, problem: `required by OKH-LOSH but the design has none: ${hint}` })
    put(key, v)
  }
  required('repo', c.meta.repo, 'set it with `cosmo design edit URL --meta repo=https://…`')
  required('version', c.version, 'set it with `cosmo design edit URL --version V`')
  put('release', c.meta.release)
  const licence = c.licenses.hardware ?? c.licenses.documentation ?? c.licenses.software
  required('license', licence ?? '', 'set one with `cosmo design edit URL --hardware-license SPDX`')
  for (const kind of ['documentation', 'software'] as const) {
    const l = c.licenses[kind]
    if (l !== null && l !== licence) warnings.push({ path: 'license', problem: `OKH-LOSH has one licence: the ${kind} licence ${l} is not in the manifest` })
  }
  required('licensor', c.licensor, 'set it with `cosmo design edit URL --licensor NAME`')
  if (c.place !== '' || c.placeCode !== null) {
    // Neither the OKH-LOSH schema nor its ontology has a field for where a design is adapted for.
    const where = [c.place, c.placeCode ?? ''].filter((x) => x !== '').join(', ')
    warnings.push({ path: 'place', problem: `OKH-LOSH has no field for where a design is adapted for: "${where}" is not in the manifest` })
  }
  put('organization', c.meta.organization)
  put('readme', c.meta.readmeFile)
  put('contribution-guide', c.meta.contributionGuide)
  put('image', c.meta.image)
  put('documentation-language', c.languages.length === 1 ? c.languages[0] : c.languages)
  put('technology-readiness-level', c.readiness.technology)
  put('documentation-readiness-level', c.readiness.documentation)
  put('attestation', c.meta.attestation)
  required('function', c.summary || c.title, '')
  put('cpc-patent-class', c.meta.cpcPatentClass)
  put('tsdc', c.module.tsdc)
  put('bom', c.bomRef)
  put('manufacturing-instructions', c.meta.manufacturingInstructions)
  put('user-manual', c.meta.userManual)
  if (c.meta.outerDimensions !== '') out['outer-dimensions'] = { openSCAD: c.meta.outerDimensions, unit: c.meta.outerDimensionsUnit || 'mm' }
  put('source', c.module.source)
  put('export', c.module.export)
  put('auxiliary', c.module.auxiliary)
  // okh:forkOf (OKH-LOSH ontology): this design's lineage, else what an import recorded.
  put('fork-of', input.forkedFrom ?? c.meta.forkOf)
  if (c.parts.length > 0) {
    out.part = c.parts.map((p, i) => {
      const part: Table = { name: p.name }
      const set = (k: string, v: string | string[]) => {
        if (v !== '' && !(Array.isArray(v) && v.length === 0)) part[k] = v
      }
      set('image', p.image)
      set('tsdc', p.tsdc)
      set('source', p.source)
      set('export', p.export)
      set('auxiliary', p.auxiliary)
      set('material', p.material)
      if (p.dimensions !== '') part['outer-dimensions'] = { openSCAD: p.dimensions, unit: p.dimensionsUnit || 'mm' }
      if (p.source.length + p.export.length === 0) warnings.push({ path: `part[${i}]`, problem: `part "${p.name}" has neither source nor export files (OKH-LOSH needs one)` })
      return part
    })
  }
  if (c.software.length > 0) {
    out.software = c.software.map((s) => (s.installationGuide === '' ? { release: s.release } : { release: s.release, 'installation-guide': s.installationGuide }))
  }
  const credits = (input.contributors ?? []).map((p) => {
    const name = p.name === null ? null : cleanDisplayName(p.name)
    return `#   ${name === null ? '' : `${name} `}(${p.id.replace(/[^A-Za-z0-9]/g, '')})\n`
  })
  const header = `# OKH-LOSH manifest of ${input.url}, written by Cosmolocal.\n${credits.length === 0 ? '' : `# Contributors (from its signed records; see its ValueFlows export):\n${credits.join('')}`}`
  return { text: header + stringifyToml(out) + '\n', warnings }
}
