/**
 * Core's OKH reader and writer, in a chunk of their own: their TOML and YAML parsers are fetched
 * only when someone imports or exports a manifest (see `loadOkh`).
 */
export { importOkh, exportOkh } from '@cosmolocal/core'
