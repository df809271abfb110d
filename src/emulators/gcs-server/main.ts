import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import type { GcsServerOptions, RunningGcsServer } from './server';
import { GcsServerStartFailed, startGcsServer } from './server';
import type { SigningKeys } from './signed-url';

/** Where {@link runGcsServerMain} writes its one JSON line. */
export interface GcsServerProcessIo {
  /** Receives `{"url": "http://127.0.0.1:PORT", "port": PORT}` and a newline once the server listens. */
  readonly stdout: { write(text: string): unknown };
}

/**
 * Parses the server's command-line arguments: `--port N` (0 = any free port), `--host H`, `--directory D`,
 * `--project-id P`, and `--signing-key-file F` (a PEM key, or a service-account JSON key file whose `private_key`
 * then verifies URLs signed as its `client_email`).
 *
 * @param argv - Arguments after the script name.
 * @returns Options for {@link startGcsServer}.
 * @throws GcsServerStartFailed for unknown options, a non-numeric port, or an unreadable key file.
 */
export function parseGcsServerArgs(argv: readonly string[]): GcsServerOptions {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        directory: { type: 'string' },
        'project-id': { type: 'string' },
        'signing-key-file': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new GcsServerStartFailed(`Invalid GCS server arguments: ${(error as Error).message}`, { cause: error });
  }
  if (values.port !== undefined && !/^\d+$/.test(values.port)) {
    throw new GcsServerStartFailed(`Invalid GCS server arguments: --port must be a whole number, got ${values.port}.`);
  }
  return {
    ...(values.port !== undefined ? { port: Number(values.port) } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.directory !== undefined ? { directory: values.directory } : {}),
    ...(values['project-id'] !== undefined ? { projectId: values['project-id'] } : {}),
    ...(values['signing-key-file'] !== undefined ? { signingKey: readSigningKey(values['signing-key-file']) } : {}),
  };
}

function readSigningKey(path: string): SigningKeys {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new GcsServerStartFailed(`Cannot read the signing key file ${path}.`, { cause: error });
  }
  if (!text.trimStart().startsWith('{')) return text;
  try {
    const key = JSON.parse(text) as { client_email?: unknown; private_key?: unknown };
    if (typeof key.private_key !== 'string') throw new Error('no private_key');
    return typeof key.client_email === 'string' ? { [key.client_email]: key.private_key } : key.private_key;
  } catch (error) {
    throw new GcsServerStartFailed(`The signing key file ${path} is neither PEM nor a service-account JSON key.`, {
      cause: error,
    });
  }
}

/**
 * Runs the server as its own process's main task: parses `argv`, starts the server, and writes one JSON line
 * `{"url": …, "port": …}` to `io.stdout` so a parent process can read where it listens. The caller (an entry point)
 * owns signals and the exit code.
 *
 * @param argv - Arguments after the script name (see {@link parseGcsServerArgs}).
 * @param io - Where to write the JSON line.
 * @returns The running server.
 * @throws GcsServerStartFailed when the arguments are invalid or the server cannot start.
 * @example
 * ```sh
 * node dist/src/emulators/gcs-server/cli-entry.js --port 0 --directory /tmp/gcs
 * # {"url":"http://127.0.0.1:41234","port":41234}
 * ```
 */
export async function runGcsServerMain(argv: readonly string[], io: GcsServerProcessIo): Promise<RunningGcsServer> {
  const server = await startGcsServer(parseGcsServerArgs(argv));
  io.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
  return server;
}
