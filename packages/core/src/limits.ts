/**
 * Every limit core enforces. Each is listed, with its reason, in docs/LIMITS.md.
 */

/** Largest encoded signed record accepted (bytes). Records are small envelopes; anything bigger is junk. */
export const MAX_RECORD_BYTES = 64 * 1024
/**
 * Most valid records one author keeps in one open document (an inbox, a proposal): beyond it, the
 * author's records with the highest ids are ignored. Per author, so a flood displaces nobody else.
 */
export const MAX_RECORDS_PER_AUTHOR = 4_096
/**
 * Most records kept, unverified, per key that holds no authority in a design's governance
 * document (in case a later record adds that key); the rest are ignored without a signature check.
 */
export const MAX_PARKED_PER_AUTHOR = 64
/** Most candidates a proposal document keeps while its opening revision has not arrived. */
export const MAX_HELD_BEFORE_OPENING = 1_024

/**
 * Signature checks a record log has in flight at once. WebCrypto's checks are asynchronous (in
 * Node they may run on its thread pool), so a batch can overlap them with decoding; few enough
 * that a batch's promises stay small.
 */
export const VERIFY_CONCURRENCY = 64

/**
 * People whose imported public key is kept for signature checks. Past it the cache starts over:
 * ids flooded in to fill it cost their sender, and the honest keys are imported again once.
 */
export const MAX_VERIFY_KEYS_CACHED = 4_096
/** Most comments one author's are shown per proposal or design discussion; the rest are ignored and reported. */
export const MAX_COMMENTS_PER_AUTHOR = 500
/** Most fork and proposal pointers one author's count in one design's inbox (each kind); the rest are ignored. */
export const MAX_POINTERS_PER_AUTHOR = 64
/** Most labels one need carries. */
export const MAX_NEED_LABELS = 16
/** Longest label of a need, in characters (a word or two: "laser cutting", "help wanted"). */
export const MAX_NEED_LABEL_LENGTH = 64
/**
 * Most needs one author's count per design (the first in the fold's order); the rest are ignored
 * and reported. Per author, so one key's flood of needs never hides anyone else's.
 */
export const MAX_NEEDS_PER_AUTHOR = 256
/** Most claim, release, close and reopen records one author's count on one need; the rest are ignored. */
export const MAX_NEED_OPS_PER_AUTHOR = 64
/** Most labels a design's needs summary (a catalogue entry) lists; each author adds at most MAX_NEED_LABELS of them. */
export const MAX_NEEDS_SUMMARY_LABELS = 64
/**
 * Most activity items one actor has listed per followed design (their newest); older ones are
 * folded into one item saying how many more there are. A stranger's flood stays one screenful.
 */
export const MAX_ACTIVITY_PER_ACTOR = 50
/** Most photos one build report references. */
export const MAX_MAKE_PHOTOS = 32
/** Most build reports ("makes") one author's count per design; the rest are ignored and reported. */
export const MAX_MAKES_PER_AUTHOR = 64
/** Largest photo a build report may reference, in bytes: a phone photo fits; a hub keeps what designs reference. */
export const MAX_MAKE_PHOTO_BYTES = 32 * 1024 * 1024
/**
 * How many designs deep contribution accounting follows merged content back to who wrote it (a
 * fork of a fork of a fork…); past it the proposal's author is credited. Also bounds the lineage
 * followed for citations.
 */
export const MAX_CREDIT_DEPTH = 8
/** Most designs one contribution reckoning reads (sources of merged proposals, upstreams); the rest are not followed. */
export const MAX_CREDIT_DESIGNS = 256
/** Most ignored records listed one by one per document; the rest are counted. */
export const MAX_REJECTED_REPORTED = 256
/** Most parents (`prev`) one record may name. Honest clients name the current record heads only. */
export const MAX_RECORD_PARENTS = 64
/** Most heads one record may name. */
export const MAX_RECORD_HEADS = 256
/** Longest free-text field in a record payload (comments, proposal descriptions), in characters. */
export const MAX_RECORD_TEXT = 32 * 1024
/** Longest single-line field (title, BOM name, unit, material), in characters. */
export const MAX_FIELD_LENGTH = 500
/**
 * Longest display name shown (characters, after cleaning); longer names are cut with an ellipsis.
 * Display only: the signed `name` of a record may be up to MAX_FIELD_LENGTH, like the key file's.
 */
export const MAX_DISPLAY_NAME_LENGTH = 64
/**
 * Longest readme, in characters: about 30 printed pages of Markdown, more than a real design's
 * readme needs; a page renders it at once (a manual belongs in an attached file).
 */
export const MAX_README_LENGTH = 100_000
/** Longest build step body, in characters: about six pages; a longer step is several steps. */
export const MAX_STEP_BODY_LENGTH = 20_000
/** Longest notes of one BOM row, in characters: a paragraph or two beside a part. */
export const MAX_NOTES_LENGTH = 2_000
/** Most maintainers one design may have. */
export const MAX_MAINTAINERS = 256
/** Largest bundle file accepted on import (bytes). */
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024
/** Most documents in one bundle. */
export const MAX_BUNDLE_DOCUMENTS = 10_000
/** Most alternatives one licence expression expands to (ORs of ANDs) in the share-alike check; beyond it the expression is reported as unassessable. */
export const MAX_LICENSE_OPTIONS = 256
/** Largest OKH manifest accepted on import, in characters. Real manifests are a few kilobytes. */
export const MAX_OKH_MANIFEST_LENGTH = 1024 * 1024
/** Most parts one design holds (and one OKH import keeps; the rest are reported). */
export const MAX_PARTS = 1_000
/** Most software references one design holds. */
export const MAX_SOFTWARE = 100
/** Most entries in one file-reference list (a part's source, export or auxiliary files; its TsDC ids). */
export const MAX_FILE_LINKS = 1_000
/** Most documentation languages one design lists. */
export const MAX_LANGUAGES = 50
/** Most warnings one OKH import reports individually; the rest are counted in one last warning. */
export const MAX_OKH_WARNINGS = 500
/**
 * Chunk size of blobs (attachments), in bytes. Part of the format: a blob's root is the hash of its
 * chunk list, so changing this changes every root. 1 MiB: a 1 GiB blob has a 32 KiB chunk list,
 * and a corrupted chunk costs one MiB to fetch again.
 */
export const BLOB_CHUNK_BYTES = 1024 * 1024
/** Largest blob (attachment) accepted, in bytes: 1 GiB, 1,024 chunks. CAD files and photos fit; videos belong elsewhere. */
export const MAX_BLOB_BYTES = 1024 * 1024 * 1024
/** Longest media type of a file reference, in characters (RFC 6838 allows 127 + "/" + 127). */
export const MAX_MEDIA_TYPE_LENGTH = 255
/** Most files one design may reference. */
export const MAX_FILES_PER_DESIGN = 1_000
/**
 * Deepest lineage `lineage` walks: levels up the upstream chain, and levels of forks down. A chain
 * of forks of forks deeper than this is cut where it passes the bound (and marked truncated): only
 * that branch loses its far end, never the rest of the tree.
 */
export const MAX_LINEAGE_DEPTH = 64
/**
 * Longest wait for a document that is neither in memory nor in storage, while peers are asked for
 * it (ms). Shorter than automerge-repo's own 60 s handle timeout, which logs when it fires.
 */
export const FIND_TIMEOUT_MS = 50_000
