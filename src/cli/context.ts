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

/** What every command gets: the output streams, the environment, and the exit code it sets. */
export interface CliContext {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  /** The process exit code; commands raise it when their input is invalid. */
  exitCode: number;
}
