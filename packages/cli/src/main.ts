/** The `cosmo` executable: runs `main` on this process's command line and exits with its code. */
import { main } from './cli.js'

const code = await main(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
})

// Let buffered output reach its pipe before exiting (the repo may leave timers behind).
await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((done) => s.write('', () => done()))))
process.exit(code)
