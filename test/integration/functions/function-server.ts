// Serves a compiled function (dist/functions, rebuilt by the integration global setup) with the real
// functions-framework binary on a free loopback port, and keeps what the function writes to standard output: Skein's
// function logger writes one JSON object per line (Cloud Logging's structured form).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

import { findFreePort } from '../../../src/emulators/free-port';

const ROOT = resolve(__dirname, '..', '..', '..');
const FUNCTIONS_FRAMEWORK = resolve(ROOT, 'node_modules', '.bin', 'functions-framework');

/** A structured log line written by a function. */
export interface FunctionLogLine {
  readonly severity: string;
  readonly message: string;
}

/** A functions-framework server running one target. */
export interface RunningFunction {
  readonly target: string;
  readonly port: number;
  /** The push endpoint for a topic: the path names it, as functions-framework needs to build the CloudEvent. */
  endpoint(projectId: string, topicName: string): string;
  /** Every structured log line written so far. */
  logs(): FunctionLogLine[];
  /** Everything written to standard error so far. */
  errors(): string;
  /** Stops the server by its PID and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options for {@link startFunction}. */
export interface StartFunctionOptions {
  /** The exported function to serve, e.g. `csvStats`. */
  readonly target: string;
  /** Environment variables added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the server to listen, in ms; default 90 000 (loading the function imports Google's clients). */
  readonly readyTimeoutMs?: number;
  /** The signature type; default `cloudevent`. */
  readonly signatureType?: 'cloudevent' | 'http' | 'event';
  /** The folder holding the compiled `index.js`; default `dist/functions`. */
  readonly source?: string;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
}

/**
 * Starts `functions-framework --source=dist/functions --target=<target> --signature-type=cloudevent --port=<free>`.
 * @param options - The target, extra environment and readiness timeout.
 * @returns The running server, once it prints its URL.
 * @throws Error when it exits or does not listen in time (with what it wrote to standard error).
 */
export async function startFunction(options: StartFunctionOptions): Promise<RunningFunction> {
  const port = await findFreePort();
  const child = spawn(
    FUNCTIONS_FRAMEWORK,
    [
      `--source=${options.source ?? resolve(ROOT, 'dist', 'functions')}`,
      `--target=${options.target}`,
      `--signature-type=${options.signatureType ?? 'cloudevent'}`,
      `--port=${port}`,
    ],
    { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const running: RunningFunction = {
    target: options.target,
    port,
    endpoint: (projectId, topicName) => `http://127.0.0.1:${port}/projects/${projectId}/topics/${topicName}`,
    logs: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as FunctionLogLine),
    errors: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited(child);
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (!stdout.includes('URL: http://localhost:')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await running.stop();
      throw new Error(`functions-framework (${options.target}) did not start:\n${stderr}`);
    }
    await new Promise((wait) => setTimeout(wait, 25));
  }
  return running;
}
