import { fileURLToPath } from 'node:url'
import type { IndexHtmlTransformContext, Plugin } from 'vite'
import { defineConfig } from 'vitest/config'
import solid from 'vite-plugin-solid'
import { VitePWA } from 'vite-plugin-pwa'

// The web app: SolidJS, a full Cosmolocal peer in the browser. Automerge is used through its
// "slim" entry everywhere (core, automerge-repo and the app share one instance) and the wasm is
// loaded from its own hashed asset by src/peer/wasm.ts before anything touches a document.
// Vitest runs this config in mode 'test' (no service worker there); a build started by a test
// (e2e/hub-process.ts) runs in production mode and gets the real service worker.
/**
 * The first page needs the wasm and the app's chunk (main.tsx imports it beside the wasm), but the
 * browser would learn of them only once the entry script has run. Links in index.html start both
 * (and the app's CSS) while the HTML is parsed, so that the app's script is parsed, and the wasm
 * fetched, alongside the entry.
 */
type OutputChunk = NonNullable<IndexHtmlTransformContext['chunk']>

function preloadFirstPage(): Plugin {
  return {
    name: 'cosmolocal:preload-first-page',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const { bundle, chunk: entry } = ctx
        if (bundle === undefined || entry === undefined) return
        const chunks = new Map(Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])))
        const app = entry.dynamicImports.map((f) => chunks.get(f)).find((c): c is OutputChunk => c?.facadeModuleId?.endsWith('/src/App.tsx') === true)
        if (app === undefined) throw new Error('preload-first-page: the entry does not import src/App.tsx')
        const scripts = new Set<string>()
        const styles = new Set<string>()
        const add = (c: OutputChunk) => {
          if (c === entry || scripts.has(c.fileName)) return
          scripts.add(c.fileName)
          for (const css of c.viteMetadata?.importedCss ?? []) styles.add(css)
          for (const i of c.imports) add(chunks.get(i)!)
        }
        add(app)
        const wasm = Object.values(bundle).filter((a) => a.type === 'asset' && a.fileName.endsWith('.wasm'))
        return [
          // Linked here, the app's CSS is not waited for by the app's import (Vite's preload helper skips what is linked).
          ...[...styles].map((f) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const })),
          ...[...scripts].map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const })),
          // fetch() (initializeWasm) asks in CORS mode, same-origin credentials: `crossorigin` matches it.
          ...wasm.map((a) => ({ tag: 'link', attrs: { rel: 'preload', as: 'fetch', type: 'application/wasm', crossorigin: true, href: `/${a.fileName}` }, injectTo: 'head' as const })),
        ]
      },
    },
  }
}

export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: [{ find: /^@automerge\/automerge$/, replacement: '@automerge/automerge/slim' }],
  },
  plugins: [
    solid(),
    preloadFirstPage(),
    ...(mode === 'test'
      ? []
      : [
          VitePWA({
            registerType: 'autoUpdate',
            injectRegister: 'script-defer',
            manifest: {
              name: 'Cosmolocal',
              short_name: 'Cosmolocal',
              description: 'A local-first commons for open hardware designs',
              theme_color: '#1f5f4a',
              background_color: '#ffffff',
              display: 'standalone',
              icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' }],
            },
            workbox: {
              globPatterns: ['**/*.{js,css,html,wasm,svg,webmanifest}'],
              maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
              navigateFallback: 'index.html',
              navigateFallbackDenylist: [/^\/api\//, /^\/automerge/],
            },
          }),
        ]),
  ],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048,
  },
  test: {
    name: 'web',
    include: ['test/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    environment: 'jsdom',
    // The end-to-end files share one build of the app per run (e2e/built-app.ts).
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
}))
