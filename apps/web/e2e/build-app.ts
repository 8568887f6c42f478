/**
 * Run by the end-to-end tests as a child process (plain Node): builds the web app, in production
 * mode (with its service worker), into the directory given.
 */
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const outDir = process.argv[2]
if (outDir === undefined) throw new Error('usage: build-app.ts OUT_DIR')
await build({
  configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
  build: { outDir, emptyOutDir: true },
  logLevel: 'warn',
})
