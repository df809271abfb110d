/**
 * Stack traces in the shape Python peers expect: Octue sends `traceback.format_list(...)`, one string per frame,
 * oldest frame first, each `  File "<path>", line <n>, in <function>\n`.
 */

// V8 frame lines: `at fn (/path/file.js:10:15)`, `at /path/file.js:10:15`, `at async fn (…)`, `at new C (…)`,
// `at Array.map (<anonymous>)`, `at fn [as alias] (node:internal/…:1:2)`.
const FRAME = /^\s*at (?:(.+?) \()?(.*?)(?::(\d+))?(?::(\d+))?\)?$/;

/** One parsed stack frame. */
export interface StackFrame {
  /** The function, or `<module>` for top-level code (Python's name for it). */
  readonly functionName: string;
  /** The file path or URL (`<anonymous>`, `native` and `node:` locations are kept as they are). */
  readonly file: string;
  /** The line number, when the frame has one. */
  readonly line: number | undefined;
}

/**
 * Parses the frames of a V8 stack trace.
 * @param stack - An `Error.stack` text; lines that are not frames (the `Name: message` header) are skipped.
 * @returns The frames, innermost (most recent) first, as V8 lists them.
 */
export function parseStackFrames(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const text of stack.split('\n')) {
    if (!/^\s+at /.test(text)) {
      continue;
    }
    const match = FRAME.exec(text);
    if (match === null) {
      continue;
    }
    const [, functionName, file = '', line] = match;
    frames.push({
      functionName: functionName?.replace(/^async /, '') || '<module>',
      file,
      line: line === undefined ? undefined : Number(line),
    });
  }
  return frames;
}

/**
 * Formats an error's stack as Python's `traceback.format_list` does: one string per frame, oldest first, each
 * `  File "<path>", line <n>, in <function>\n` (`line None` when the frame has no line, as Python writes it).
 * @param error - Any thrown value; values without a stack give no frames.
 * @returns The frames.
 */
export function formatTraceback(error: unknown): string[] {
  const stack = typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
  if (typeof stack !== 'string') {
    return [];
  }
  return parseStackFrames(stack)
    .reverse()
    .map((frame) => `  File "${frame.file}", line ${frame.line ?? 'None'}, in ${frame.functionName}\n`);
}
