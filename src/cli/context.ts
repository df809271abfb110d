/** Exit codes of the `skein` command, documented in `skein --help`. */
export const EXIT_CODES = {
  /** Success; for validation commands, everything checked is valid. */
  ok: 0,
  /** Invalid input (validation failed), or the command failed. */
  failed: 1,
  /** Unusable arguments: an unknown option, a missing argument, or a named file that cannot be read. */
  usage: 2,
} as const;

/** Where the CLI writes; the real process streams in `main`, buffers in tests. */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
}

/** A stream progress bars can be drawn on (standard error in the real process). */
export interface ProgressStream extends NodeJS.WritableStream {
  /** Whether the stream is a terminal; bars are only drawn on terminals. */
  readonly isTTY?: boolean;
}

/** The signals long-running commands stop on. */
export type StopSignalName = 'SIGINT' | 'SIGTERM';

/**
 * What the CLI needs from its process beyond the output streams. `main` wires the real process; tests may leave any
 * of these out (then no stop signals arrive and no progress bars are drawn).
 */
export interface CliHooks {
  /**
   * Calls `listener` when the process is asked to stop (SIGINT from Ctrl-C, or SIGTERM) while a long-running command
   * (`skein start`, `skein emulators start`) runs.
   * @returns A function that removes the listener.
   */
  onStopSignal?(listener: (signal: StopSignalName) => void): () => void;
  /** Where progress bars are drawn (standard error); bars appear only when it is a terminal. */
  readonly progressStream?: ProgressStream;
}

/** What every command gets: the output streams, the environment, process hooks and the exit code it sets. */
export interface CliContext {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  readonly hooks: CliHooks;
  /** The process exit code; commands raise it when their input is invalid. */
  exitCode: number;
}
