/**
 * The stock comparison of `cosmo design show`: a process that opens an automerge-repo Repo on the
 * same NodeFS store and loads the design's governance and content documents, one after the other
 * (as a design read needs them), reads the title, shuts the Repo down and exits. What any
 * automerge-repo command line would do at the least to show a document.
 *
 *   node bench/stock-load.ts STORE_DIR GOVERNANCE_ID CONTENT_ID
 */
import { Repo, type DocumentId } from '@automerge/automerge-repo'
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs'

const [dir, governance, content] = process.argv.slice(2) as [string, DocumentId, DocumentId]
const repo = new Repo({ storage: new NodeFSStorageAdapter(dir), network: [] })
const gov = await repo.find<{ records?: unknown[] }>(governance)
const doc = await repo.find<{ title?: unknown }>(content)
process.stdout.write(`${String(doc.doc().title)} (${gov.doc().records?.length ?? 0} records)\n`)
await repo.shutdown()
process.exit(0)
