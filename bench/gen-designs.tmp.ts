import { designStores, STORE_SIZES } from './fixtures.ts'
await designStores(STORE_SIZES(false))
await designStores(STORE_SIZES(true))
