/**
 * Lets Node run this package's TypeScript sources directly (Node 24 strips types itself): maps a
 * relative `./x.js` import to `./x.ts` when that file exists, as tsc's NodeNext resolution does.
 * Used for child processes that run inside a network namespace, outside Vitest.
 */
import { existsSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
      const candidate = new URL(specifier.slice(0, -3) + '.ts', context.parentURL)
      if (existsSync(fileURLToPath(candidate))) return nextResolve(candidate.href, context)
    }
    return nextResolve(specifier, context)
  },
})
