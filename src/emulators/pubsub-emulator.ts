import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { SkeinError } from '../errors';
import { findFreePort } from './free-port';

/** The Pub/Sub emulator could not be found or did not start. */
export class EmulatorUnavailable extends SkeinError {}

/** A running Pub/Sub emulator. */
export interface RunningPubSubEmulator {
  /** `host:port`, the value for `PUBSUB_EMULATOR_HOST`. */
  readonly host: string;
  /** PID of the emulator's java process. */
  readonly pid: number;
  /** Stops the emulator by its PID and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options for {@link startPubSubEmulator}. */
export interface PubSubEmulatorOptions {
  /** Port to listen on; a free one when omitted. */
  readonly port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  readonly host?: string;
  /** Path to `cloud-pubsub-emulator-*.jar`; found through the gcloud SDK when omitted. */
  readonly jarPath?: string;
  /** How long to wait for the emulator to answer, in ms; default 30 000. */
  readonly readyTimeoutMs?: number;
}

const INSTALL_HINT =
  'Install Java 17+ and the Google Cloud SDK with its Pub/Sub emulator component ' +
  '(Debian: apt-get install default-jre google-cloud-cli google-cloud-cli-pubsub-emulator), ' +
  'or set SKEIN_PUBSUB_EMULATOR_JAR to the emulator jar.';

/** Finds the emulator jar inside the gcloud SDK. */
export function findPubSubEmulatorJar(): string {
  const roots: string[] = [];
  try {
    const root = execFileSync('gcloud', ['info', '--format=value(installation.sdk_root)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (root) roots.push(root);
  } catch {
    // gcloud missing or failing: fall back to the usual install locations below.
  }
  roots.push('/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk');
  for (const root of roots) {
    const dir = join(root, 'platform', 'pubsub-emulator', 'lib');
    if (!existsSync(dir)) continue;
    const jar = readdirSync(dir).find((f) => /^cloud-pubsub-emulator-.*\.jar$/.test(f));
    if (jar) return join(dir, jar);
  }
  throw new EmulatorUnavailable(`The Pub/Sub emulator jar was not found. ${INSTALL_HINT}`);
}

function javaAvailable(): boolean {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitUntilReady(url: string, deadline: number, exited: () => string | undefined): Promise<void> {
  for (;;) {
    const exit = exited();
    if (exit)
      throw new EmulatorUnavailable(`The Pub/Sub emulator exited before it was ready (${exit}). ${INSTALL_HINT}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new EmulatorUnavailable(`The Pub/Sub emulator did not answer at ${url} in time.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the official Pub/Sub emulator by running its jar with java directly (so its PID can be stopped: killing the
 * `gcloud` wrapper would leave the java child running) and waits until it answers.
 *
 * @throws EmulatorUnavailable saying what to install when java or the jar is missing.
 */
export async function startPubSubEmulator(options: PubSubEmulatorOptions = {}): Promise<RunningPubSubEmulator> {
  const jarPath = options.jarPath ?? findPubSubEmulatorJar();
  if (!javaAvailable()) throw new EmulatorUnavailable(`java was not found on PATH. ${INSTALL_HINT}`);
  const bind = options.host ?? '127.0.0.1';
  const port = options.port ?? (await findFreePort(bind));
  const child = spawn('java', ['-jar', jarPath, `--host=${bind}`, `--port=${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let exitDescription: string | undefined;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitDescription = `code ${code ?? 'none'}, signal ${signal ?? 'none'}: ${stderr.trim().split('\n').pop() ?? ''}`;
      resolve();
    });
  });
  child.once('error', (error) => {
    exitDescription = error.message;
  });
  try {
    await waitUntilReady(
      `http://${bind}:${port}/`,
      Date.now() + (options.readyTimeoutMs ?? 30_000),
      () => exitDescription,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid as number;
  return {
    host: `${bind}:${port}`,
    pid,
    async stop() {
      if (exitDescription !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
