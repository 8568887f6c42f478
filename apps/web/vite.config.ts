import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import solid from 'vite-plugin-solid'
import { VitePWA } from 'vite-plugin-pwa'

// The web app: SolidJS, a full Cosmolocal peer in the browser. Automerge is used through its
// "slim" entry everywhere (core, automerge-repo and the app share one instance) and the wasm is
// loaded from its own hashed asset by src/peer/wasm.ts before anything touches a document.
// Vitest runs this config in mode 'test' (no service worker there); a build started by a test
// (e2e/hub-process.ts) runs in production mode and gets the real service worker.
export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: [{ find: /^@automerge\/automerge$/, replacement: '@automerge/automerge/slim' }],
  },
  plugins: [
    solid(),
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
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
}))
