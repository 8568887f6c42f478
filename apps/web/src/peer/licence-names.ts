/**
 * The SPDX licence names for the forms that check licences as they are typed: a chunk of its own
 * (core's `loadLicenceNames`), fetched when the first such form shows, not with the first page.
 * Until it is here (a moment), a refused licence is explained without a "did you mean"; the
 * forms check again once it is.
 */
import { loadLicenceNames, type LicenceNames } from '@cosmolocal/core'
import { createSignal, type Accessor } from 'solid-js'

const [names, setNames] = createSignal<LicenceNames | null>(null)
let asked = false

/** The names once loaded (null before); the first call starts loading them. */
export const licenceNames: Accessor<LicenceNames | null> = () => {
  if (!asked) {
    asked = true
    loadLicenceNames().then(
      (n) => setNames(() => n),
      // Not loaded (offline, say, with the chunk not cached): hints stay without names; the next form asks again.
      () => {
        asked = false
      },
    )
  }
  return names()
}
