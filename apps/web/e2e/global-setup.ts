/**
 * The web project's global setup: a directory, for this run only, where the first end-to-end
 * file that needs the built app builds it once (`built-app.ts`), for every other file and worker
 * to reuse. Nothing is built here, so a run of unit tests alone builds nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    builtAppRoot: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'cosmolocal-web-build-'))
  project.provide('builtAppRoot', root)
  return () => rm(root, { recursive: true, force: true })
}
