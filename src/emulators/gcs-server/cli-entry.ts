// Process entry point: `node dist/src/emulators/gcs-server/cli-entry.js [--port N] [--directory D] …`. It prints one
// JSON line {"url": …} when ready and stops cleanly (discarding unfinished uploads) on SIGTERM or SIGINT. Being an
// entry point, it is the one place in src/emulators that reads argv and installs signal handlers.
import { runGcsServerMain } from './main';

// eslint-disable-next-line no-restricted-properties -- entry point: argv is this process's input.
const argv = process.argv.slice(2);

runGcsServerMain(argv, { stdout: process.stdout }).then(
  (server) => {
    const stop = (): void => {
      void server.stop();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}${cause}\n`);
    process.exitCode = 1;
  },
);
