import { MultiBar, Presets } from 'cli-progress';
import type { SingleBar } from 'cli-progress';

import type { ProgressCallback } from '../core/ports/object-store';
import type { CliContext, ProgressStream } from './context';

/** Progress bars for a batch of transfers (one bar per file), or nothing at all when bars are off. */
export interface TransferBars {
  /** Whether bars are being drawn. */
  readonly enabled: boolean;
  /**
   * Adds a bar for one transfer.
   * @param label - What is moving, e.g. the file name.
   * @param totalBytes - Its size, when known.
   * @returns The callback to hand the transfer as its `onProgress`, and a function to call when it is done.
   */
  add(label: string, totalBytes?: number): { readonly onProgress: ProgressCallback; done(): void };
  /** Removes the bars and restores the terminal; call once every transfer has ended (also on failure). */
  stop(): void;
}

const DISABLED: TransferBars = {
  enabled: false,
  add: () => ({ onProgress: () => undefined, done: () => undefined }),
  stop: () => undefined,
};

function shortLabel(label: string, width = 40): string {
  return label.length <= width ? label.padEnd(width) : `…${label.slice(label.length - width + 1)}`;
}

/**
 * Progress bars (cli-progress) for long uploads and downloads. Bars are drawn only on a terminal and never with
 * `--json`, so scripts and logs get clean output.
 * @param stream - The stream to draw on (standard error); without one, or when it is not a terminal, no bars.
 * @param options - `json`: the command prints machine-readable output, so no bars.
 * @returns The bars (a no-op set when disabled).
 */
export function transferBars(stream: ProgressStream | undefined, options: { json?: boolean } = {}): TransferBars {
  if (stream === undefined || stream.isTTY !== true || options.json === true) return DISABLED;
  const multibar = new MultiBar(
    {
      stream,
      format: '{label} [{bar}] {percentage}% | {value}/{total} bytes',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    Presets.shades_classic,
  );
  return {
    enabled: true,
    add(label, totalBytes) {
      const bar: SingleBar = multibar.create(Math.max(totalBytes ?? 0, 1), 0, { label: shortLabel(label) });
      return {
        onProgress: (progress) => {
          if (progress.totalBytes !== undefined && progress.totalBytes > 0) bar.setTotal(progress.totalBytes);
          bar.update(progress.bytes);
        },
        done: () => {
          bar.update(bar.getTotal());
          bar.stop();
        },
      };
    },
    stop: () => multibar.stop(),
  };
}

/**
 * The transfer bars of a command, from the CLI context.
 * @param context - The CLI context (its progress stream).
 * @param json - Whether the command prints machine-readable output.
 * @returns The bars.
 */
export function commandBars(context: CliContext, json: boolean | undefined): TransferBars {
  return transferBars(context.hooks.progressStream, { json: json === true });
}
