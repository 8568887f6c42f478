/** Reading screenshots of the 3D preview in the page (Chromium decodes the PNG). */
import type { Page } from 'playwright-core'

/** The preview stage's clear colour (stl-scene.ts). */
export const BACKGROUND = [0xee, 0xf2, 0xf0]

/** What a screenshot shows: the share of pixels that are not background, and how many shades they have. */
export interface Coverage {
  covered: number
  shades: number
}

export async function coverage(page: Page, png: Buffer): Promise<Coverage> {
  return page.evaluate(
    async ({ b64, bg }) => {
      const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob()
      const bitmap = await createImageBitmap(blob)
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!
      ctx.drawImage(bitmap, 0, 0)
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height)
      let covered = 0
      const shades = new Map<number, number>()
      for (let i = 0; i < data.length; i += 4) {
        const d = Math.max(Math.abs(data[i]! - bg[0]!), Math.abs(data[i + 1]! - bg[1]!), Math.abs(data[i + 2]! - bg[2]!))
        if (d <= 24) continue
        covered++
        const shade = ((data[i]! >> 4) << 8) | ((data[i + 1]! >> 4) << 4) | (data[i + 2]! >> 4)
        shades.set(shade, (shades.get(shade) ?? 0) + 1)
      }
      // A shade counts when it covers at least 2% of the mesh: a face, not antialiasing.
      const faces = [...shades.values()].filter((n) => n >= covered * 0.02).length
      return { covered: covered / (data.length / 4), shades: faces }
    },
    { b64: png.toString('base64'), bg: BACKGROUND },
  )
}

