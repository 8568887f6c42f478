/** Small filesystem helpers shared by the home and the bundle commands (atomic writes: @cosmolocal/storage's atomicWriteFile). */

export function isMissingFile(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT'
}
