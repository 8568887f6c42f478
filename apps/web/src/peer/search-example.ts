/** The search box's example: each word finds a design of the sample commons `npm start` serves (test/search.test.ts). */
export const SEARCH_EXAMPLE = 'e.g. loom, beech, compost'
