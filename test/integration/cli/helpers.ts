// Runs the real `skein` binary (bin/skein.js → dist/, rebuilt by the integration global setup) as a user would.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The repository root (the binary's working directory unless a test says otherwise). */
export const ROOT = resolve(__dirname, '../../..');
/** The binary. */
export const BIN = resolve(ROOT, 'bin/skein.js');
/** The square service used by the run, start, ask and ask-local tests. */
export const SQUARE_SERVICE = resolve(__dirname, 'fixtures/square');

/** How a finished run of the binary ended. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and with what environment to run the binary. */
export interface RunOptions {
  readonly cwd?: string;
  /** Variables added to (or, when `undefined`, removed from) this process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function environment(extra: RunOptions['env'] = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * Runs `skein <args>` to completion.
 * @param args - The arguments.
 * @param options - Working directory and environment.
 * @returns The exit code and output.
 */
export function skein(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? ROOT, env: environment(options.env), maxBuffer: 20 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** A `skein` process that keeps running (start, emulators start), read line by line. */
export class SkeinProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything written to standard error so far. */
  stderr = '';
  private readonly lines: string[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: readonly string[], options: RunOptions = {}) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: environment(options.env) });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.exited = new Promise((resolveExit) => {
      this.child.once('exit', (code, signal) => {
        resolveExit({ code, signal });
        this.waiters.splice(0).forEach((wake) => wake());
      });
    });
  }

  /**
   * Waits for the next line of standard output.
   * @param timeoutMs - How long to wait.
   * @returns The line.
   */
  async nextLine(timeoutMs = 90_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`skein exited (${this.child.exitCode ?? this.child.signalCode}) first:\n${this.stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`No output from skein in time:\n${this.stderr}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
    return this.lines.shift() as string;
  }

  /**
   * Waits for the process to exit.
   * @returns Its exit code (or the signal that ended it).
   */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  /** Ends the process if it is still running (test clean-up). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
