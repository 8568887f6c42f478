/**
 * What the hub writes to its log says what peers sent (a claimed peer id, a message type, a
 * reason), and a peer chooses those bytes: a newline in a claimed id would forge a log line of its
 * own, terminal escapes or bidi overrides would rewrite what is shown. So every line is made
 * printable (such characters become `\u{…}` escapes) and cut at MAX_LOG_LINE_CHARS.
 */
import { MAX_LOG_LINE_CHARS } from './limits.js'

export function logLine(text: string): string {
  const cut = text.length > MAX_LOG_LINE_CHARS ? `${text.slice(0, MAX_LOG_LINE_CHARS)}… (${text.length - MAX_LOG_LINE_CHARS} more characters)` : text
  return cut.replace(/[\p{Cc}\p{Zl}\p{Zp}\p{Cf}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
}
