/**
 * StlPreview in jsdom, which has no WebGL: a malformed file is refused before three.js loads, and a
 * good one explains that this browser cannot draw it. Drawing is tested in Chromium (e2e/stl-preview).
 */
import { cleanup, render, screen } from '@solidjs/testing-library'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { StlPreview } from '../src/components/StlPreview.js'
import { binaryStl, cubeTriangles } from './stl-samples.js'

afterEach(cleanup)

describe('StlPreview without WebGL', () => {
  it('says why a malformed STL cannot be shown, and offers no reset', async () => {
    const cube = binaryStl(cubeTriangles())
    render(() => <StlPreview bytes={cube.subarray(0, 200)} name="frame.stl" />)
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toMatch(/^frame\.stl is not a valid STL file: .*claims 12 triangles/)
    expect((screen.getByRole('button', { name: 'Reset view' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('says the browser cannot draw 3D, instead of leaving a blank box', async () => {
    // What a browser without WebGL answers. (jsdom answers the same, but reports "not implemented"
    // on its own console, beyond the test's reach, which would print stray lines on stderr.)
    const noWebGl = vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    // three.js says so on the console: expected here.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    render(() => <StlPreview bytes={binaryStl(cubeTriangles())} name="frame.stl" />)
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 })
    expect(alert.textContent).toMatch(/^No 3D preview of frame\.stl: this browser cannot draw 3D here .* You can still download the file\.$/)
    expect(document.querySelector('canvas')).toBeNull()
    expect(noWebGl).toHaveBeenCalled()
    noWebGl.mockRestore()
    quiet.mockRestore()
  })
})
