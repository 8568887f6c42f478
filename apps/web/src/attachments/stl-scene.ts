/**
 * The three.js side of the STL preview. Only StlPreview imports this module, and only through a
 * dynamic import(), so three.js is a chunk of its own that loads when a preview is first shown.
 *
 * The scene renders on demand (after a camera change or a resize), not in a loop: a preview that
 * nobody touches costs nothing.
 */
import {
  Color,
  DirectionalLight,
  DoubleSide,
  HemisphereLight,
  Mesh,
  MeshStandardMaterial,
  PerspectiveCamera,
  Scene,
  Vector3,
  WebGLRenderer,
  type BufferGeometry,
} from 'three'
import { OrbitControls } from 'three/addons/controls/OrbitControls.js'
import { STLLoader } from 'three/addons/loaders/STLLoader.js'
import { checkPositions } from './stl.js'

export interface StlScene {
  /** Triangles in the mesh. */
  triangles: number
  /** Bounding-box size in the file's units (STL has none; usually millimetres). */
  size: { x: number; y: number; z: number }
  resetView(): void
  /** Removes the canvas and frees the GPU memory and the WebGL context. */
  dispose(): void
}

/** Why a preview could not be shown; `malformed` is about the file, `webgl` about the browser. */
export class StlSceneError extends Error {
  override readonly name = 'StlSceneError'
  constructor(
    readonly kind: 'malformed' | 'webgl',
    message: string,
  ) {
    super(message)
  }
}

const BACKGROUND = '#eef2f0'
const MESH_COLOUR = '#6fae94'
const KEY_ANGLE = Math.PI / 12
const KEY_PAN = 20
const KEY_ZOOM = 1.2
/** Arrow key → [turn left, turn up] steps, or [pan right, pan up] steps with Shift. */
const ARROWS: Partial<Record<string, readonly [number, number]>> = { ArrowLeft: [1, 0], ArrowRight: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\.$/, '')

export interface StlSceneOptions {
  /** The canvas's accessible name. */
  label: string
  /** The id of the element that explains the controls. */
  describedBy?: string
  /** Called when the browser takes the WebGL context away (too many contexts, GPU reset). */
  onContextLost: () => void
}

/**
 * Parses the STL (already passed through checkStl) and shows it on a new canvas in `container`,
 * sized to it. A new canvas each time: a canvas whose context was released cannot get another.
 */
export function mountStlScene(container: HTMLElement, bytes: Uint8Array, options: StlSceneOptions): StlScene {
  const geometry = parse(bytes)
  const canvas = document.createElement('canvas')
  canvas.tabIndex = 0
  canvas.setAttribute('role', 'img')
  canvas.setAttribute('aria-label', options.label)
  if (options.describedBy !== undefined) canvas.setAttribute('aria-describedby', options.describedBy)
  let renderer: WebGLRenderer
  try {
    renderer = new WebGLRenderer({ canvas, antialias: true })
  } catch (err) {
    geometry.dispose()
    throw new StlSceneError('webgl', `this browser cannot draw 3D here (${reason(err)}).`)
  }
  container.prepend(canvas)
  renderer.setPixelRatio(Math.min(2, globalThis.devicePixelRatio || 1))
  renderer.setClearColor(new Color(BACKGROUND))

  // Centre the mesh on the origin so orbiting turns it about its middle.
  geometry.computeBoundingBox()
  const box = geometry.boundingBox!
  const centre = box.getCenter(new Vector3())
  geometry.translate(-centre.x, -centre.y, -centre.z)
  // STL normals are often zero or wrong; flat normals from the triangles themselves are reliable.
  geometry.deleteAttribute('normal')
  geometry.computeVertexNormals()
  geometry.computeBoundingSphere()
  const radius = Math.max(geometry.boundingSphere!.radius, 1e-6)
  const extent = box.getSize(new Vector3())

  const hasColours = (geometry as BufferGeometry & { hasColors?: boolean }).hasColors === true
  const material = new MeshStandardMaterial({
    color: hasColours ? '#ffffff' : MESH_COLOUR,
    vertexColors: hasColours,
    roughness: 0.65,
    metalness: 0.05,
    flatShading: true,
    // A mesh with inverted triangles still shows its surface instead of holes.
    side: DoubleSide,
  })
  const mesh = new Mesh(geometry, material)
  const scene = new Scene()
  scene.add(mesh)

  const camera = new PerspectiveCamera(40, 1, radius / 100, radius * 100)
  // CAD and slicers put Z up; so do we.
  camera.up.set(0, 0, 1)
  const sky = new HemisphereLight('#ffffff', '#2e3633', 1.8)
  sky.position.set(0, 0, 1)
  scene.add(sky)
  // A light that moves with the camera: whatever side people look at is lit.
  const lamp = new DirectionalLight('#ffffff', 1.4)
  lamp.position.set(-1, 0.2, 1)
  camera.add(lamp)
  scene.add(camera)

  const controls = new OrbitControls(camera, canvas)
  controls.enableDamping = false
  controls.screenSpacePanning = true

  let width = 1
  let height = 1
  const render = () => renderer.render(scene, camera)

  function fit() {
    const vertical = (camera.fov * Math.PI) / 360
    const horizontal = Math.atan(Math.tan(vertical) * camera.aspect)
    const distance = (radius / Math.sin(Math.min(vertical, horizontal))) * 1.1
    camera.position.copy(new Vector3(1, -1.4, 0.9).normalize().multiplyScalar(distance))
    controls.target.set(0, 0, 0)
    controls.minDistance = radius / 50
    controls.maxDistance = distance * 20
    controls.update()
    controls.saveState()
  }

  function resize() {
    const w = Math.max(1, Math.floor(container.clientWidth))
    const h = Math.max(1, Math.floor(container.clientHeight))
    if (w === width && h === height) return
    width = w
    height = h
    renderer.setSize(w, h, false)
    camera.aspect = w / h
    camera.updateProjectionMatrix()
    render()
  }

  resize()
  fit()
  render()
  controls.addEventListener('change', render)
  const observer = new ResizeObserver(resize)
  observer.observe(container)
  const lost = (e: Event) => {
    e.preventDefault()
    options.onContextLost()
  }
  canvas.addEventListener('webglcontextlost', lost)
  const keydown = (e: KeyboardEvent) => {
    if (handleKey(e)) e.preventDefault()
  }
  canvas.addEventListener('keydown', keydown)

  /** Arrow keys orbit, Shift+arrows pan, + and - zoom, 0 resets; true when the key was used. */
  function handleKey(event: KeyboardEvent): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey) return false
    const arrow = ARROWS[event.key]
    if (arrow !== undefined) {
      const [x, y] = arrow
      if (event.shiftKey) controls.pan(x * KEY_PAN, y * KEY_PAN)
      else if (x !== 0) controls.rotateLeft(x * KEY_ANGLE)
      else controls.rotateUp(y * KEY_ANGLE)
      controls.update()
      render()
      return true
    }
    switch (event.key) {
      // OrbitControls' dollyOut divides the camera distance (closer), dollyIn multiplies it.
      case '+':
      case '=':
        controls.dollyOut(KEY_ZOOM)
        break
      case '-':
      case '_':
        controls.dollyIn(KEY_ZOOM)
        break
      case '0':
      case 'Home':
        controls.reset()
        break
      default:
        return false
    }
    controls.update()
    render()
    return true
  }

  return {
    triangles: geometry.getAttribute('position').count / 3,
    size: { x: extent.x, y: extent.y, z: extent.z },
    resetView() {
      controls.reset()
      render()
    },
    dispose() {
      observer.disconnect()
      canvas.removeEventListener('webglcontextlost', lost)
      canvas.removeEventListener('keydown', keydown)
      controls.removeEventListener('change', render)
      controls.dispose()
      geometry.dispose()
      material.dispose()
      renderer.dispose()
      // Browsers allow only a handful of live WebGL contexts; give this one back now.
      renderer.forceContextLoss()
      canvas.remove()
    },
  }
}

function parse(bytes: Uint8Array): BufferGeometry {
  let geometry: BufferGeometry
  try {
    geometry = new STLLoader().parse(bytes.slice().buffer)
  } catch (err) {
    throw new StlSceneError('malformed', `it could not be read as STL (${reason(err)}).`)
  }
  const problem = checkPositions(geometry.getAttribute('position')?.array ?? [])
  if (problem !== null) {
    geometry.dispose()
    throw new StlSceneError('malformed', problem)
  }
  return geometry
}

/**
 * A still picture of the mesh (PNG bytes), drawn once off screen from the preview's starting view:
 * the catalogue card of a design whose first picture is an STL. The WebGL context is released
 * before this returns.
 */
export async function snapshotStl(bytes: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const box = document.createElement('div')
  box.style.cssText = `position:fixed;left:-10000px;top:0;width:${width}px;height:${height}px;`
  document.body.append(box)
  let scene: StlScene | null = null
  try {
    scene = mountStlScene(box, bytes, { label: 'snapshot', onContextLost: () => {} })
    // Read right after the scene's own synchronous render: without preserveDrawingBuffer the
    // buffer is only guaranteed until the task ends.
    const canvas = box.querySelector('canvas')!
    const url = canvas.toDataURL('image/png')
    const b64 = url.slice(url.indexOf(',') + 1)
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
  } finally {
    scene?.dispose()
    box.remove()
  }
}
