import { cleanup, render, screen } from '@solidjs/testing-library'
import { afterEach, describe, expect, it } from 'vitest'
import { ForkLicenceWarnings } from '../src/components/LicenceWarnings.js'
import { design } from './design-fixture.js'

afterEach(cleanup)

const licences = (hardware: string | null) => ({ licenses: { hardware, documentation: null, software: null } })

describe('ForkLicenceWarnings', () => {
  it("warns when a fork leaves its upstream's share-alike licence, comparing against the upstream read through the peer", async () => {
    const upstream = design(licences('CERN-OHL-S-2.0'))
    const fork = design(licences('MIT'), 'UP')
    const asked: string[] = []
    render(() => <ForkLicenceWarnings design={fork} load={async (url) => (asked.push(url), upstream)} />)
    const alert = await screen.findByRole('alert', { name: 'Licence warnings for this fork' })
    expect(asked).toEqual(['automerge:UP'])
    expect(alert.textContent).toContain('hardware licence CERN-OHL-S-2.0 → MIT')
    expect(alert.querySelector('li')!.dataset.problem).toBe('share-alike')
  })

  it('says nothing when the fork keeps a compatible licence', async () => {
    const upstream = design(licences('CERN-OHL-S-2.0'))
    let loaded = false
    render(() => <ForkLicenceWarnings design={design(licences('CERN-OHL-S-2.0'), 'UP')} load={async () => ((loaded = true), upstream)} />)
    await new Promise((r) => setTimeout(r, 20))
    expect(loaded).toBe(true)
    expect(screen.queryByRole('alert')).toBeNull()
  })
})
