/**
 * What a person types into a BOM row, checked before anything is signed. Core checks again (it is
 * the authority); these messages are the ones people see next to the field.
 */
import { MAX_NOTES_LENGTH } from '@cosmolocal/core'

export interface BomDraft {
  name: string
  quantity: string
  unit: string
  material: string
  notes: string
}

export interface BomValue {
  name: string
  quantity: number
  unit: string
  material: string
  notes: string
}

export type BomErrors = Partial<Record<keyof BomDraft, string>>

export const EMPTY_DRAFT: BomDraft = { name: '', quantity: '1', unit: 'pcs', material: '', notes: '' }
const MAX_FIELD = 200
const SINGLE_LINE = /^[^\u0000-\u001f]*$/

export function validateBomDraft(d: BomDraft): { value: BomValue } | { errors: BomErrors } {
  const errors: BomErrors = {}
  const name = d.name.trim()
  if (name === '') errors.name = 'Give the part a name.'
  else if (name.length > MAX_FIELD) errors.name = `A name is at most ${MAX_FIELD} characters.`
  else if (!SINGLE_LINE.test(name)) errors.name = 'A name is a single line.'

  const q = d.quantity.trim().replace(',', '.')
  const quantity = Number(q)
  if (q === '') errors.quantity = 'Give a quantity.'
  else if (!/^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(q) || !Number.isFinite(quantity)) errors.quantity = 'A quantity is a number, like 4 or 0.5.'
  else if (quantity <= 0) errors.quantity = 'A quantity must be more than zero.'
  else if (quantity > 1e9) errors.quantity = 'That quantity is implausibly large.'

  const unit = d.unit.trim()
  if (unit === '') errors.unit = 'Give a unit, such as pcs, m, kg.'
  else if (unit.length > 32) errors.unit = 'A unit is at most 32 characters.'
  else if (!/^[\p{L}\p{N}.%/²³° _-]+$/u.test(unit)) errors.unit = 'A unit is letters and numbers, such as pcs, m, m², kg.'

  const material = d.material.trim()
  if (material.length > MAX_FIELD) errors.material = `A material is at most ${MAX_FIELD} characters.`
  else if (!SINGLE_LINE.test(material)) errors.material = 'A material is a single line.'

  if (d.notes.length > MAX_NOTES_LENGTH) errors.notes = `Notes can be at most ${MAX_NOTES_LENGTH.toLocaleString('en')} characters (these are ${d.notes.length.toLocaleString('en')}).`

  if (Object.keys(errors).length > 0) return { errors }
  return { value: { name, quantity, unit, material, notes: d.notes } }
}

export function draftOf(row: { name: string; quantity: number; unit: string; material: string; notes: string }): BomDraft {
  return { name: row.name, quantity: String(row.quantity), unit: row.unit, material: row.material, notes: row.notes }
}
