// Process entry: runs the CLI and sets the exit code. bin/skiff.js loads the compiled copy; tests
// run this file through tsx so they always exercise the current source.
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`skiff: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
