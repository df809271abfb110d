import type { LogEntry } from '../../core/events';
import type { Logger } from '../logging';

/**
 * How a parent re-emits its children's log records, as Octue's event handler does: the message gets a
 * `[<sender> | <question uuid>]` label, and the labels a child already put on its own children's records are kept
 * after it, so each record names the whole path down the question tree:
 * `[acme/child:1.0.0 | q1] [acme/grandchild:2.0.0 | q2] Started.`
 */

/** Octue's colour palette for log labels (hex RGB), in order. */
export const LOG_LABEL_PALETTE = [
  '0173b2',
  'de8f05',
  '029e73',
  'd55e00',
  'cc78bc',
  'ca9161',
  'fbafe4',
  '949494',
  'ece133',
  '56b4e9',
] as const;

// Octue colours the immediate child's label with the palette's second colour and deeper labels with the fourth
// onwards, cycling (the first and third are used by its own log formatter).
const LABEL_COLOURS = [LOG_LABEL_PALETTE[1], ...LOG_LABEL_PALETTE.slice(3)];

// Leading `[...] ` groups are labels added by services further down the tree. Only leading groups count, so a
// message that merely contains `] ` (Octue splits on every one) keeps its text.
const LEADING_LABEL = /^\[([^\]]*)\] /;

/** Options for {@link relabelLogMessage}. */
export interface RelabelOptions {
  /** The SRUID of the child that sent the record. */
  readonly sender: string;
  /** The question the record was logged while answering. */
  readonly questionUuid: string;
  /** Add the sender's label (default true); when false, every label is removed and only the message is left. */
  readonly includeServiceMetadata?: boolean;
  /** Colour the labels with 24-bit ANSI escapes (default false). */
  readonly colour?: boolean;
}

function colourise(text: string, hex: string): string {
  const [r, g, b] = [0, 2, 4].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16));
  return `\u001b[38;2;${r};${g};${b}m${text}\u001b[0m`;
}

/**
 * Splits a log message into the labels at its start and the message proper.
 * @param message - e.g. `[acme/grandchild:2.0.0 | q2] Started.`
 * @returns The labels' contents (without brackets) and the rest.
 */
export function splitLogLabels(message: string): { labels: string[]; text: string } {
  const labels: string[] = [];
  let text = message;
  for (let match = LEADING_LABEL.exec(text); match !== null; match = LEADING_LABEL.exec(text)) {
    labels.push(match[1] ?? '');
    text = text.slice(match[0].length);
  }
  return { labels, text };
}

/**
 * Labels a child's log message with its sender and question, keeping the labels of deeper services after it.
 * @param message - The record's message as received.
 * @param options - The sender, question uuid and presentation options.
 * @returns `[<sender> | <question uuid>] [<deeper labels>…] <message>`, or just the message without labels when
 *   `includeServiceMetadata` is false.
 */
export function relabelLogMessage(message: string, options: RelabelOptions): string {
  const { labels, text } = splitLogLabels(message);
  if (options.includeServiceMetadata === false) return text;
  const paint = (label: string, index: number): string => {
    const bracketed = `[${label}]`;
    if (!options.colour) return bracketed;
    const deeper = LABEL_COLOURS.slice(1);
    const hex = index === 0 ? LABEL_COLOURS[0] : deeper[(index - 1) % deeper.length];
    return colourise(bracketed, hex ?? LOG_LABEL_PALETTE[0]);
  };
  const all = [`${options.sender} | ${options.questionUuid}`, ...labels];
  return [...all.map(paint), text].join(' ');
}

/**
 * Re-emits a child's log record through a logger, under the child's logger name and at its level (Python's
 * `critical` becomes `error`, the Logger's highest level), with any exception text the child sent on the lines after
 * the message, as Python's formatter prints `exc_text`.
 * @param logger - The logger to re-emit through (its sinks and any analysis log context receive the entry).
 * @param entry - The record, already relabelled.
 */
export function reemitLogEntry(logger: Logger, entry: LogEntry): void {
  const named = logger.withName(entry.name);
  const message = entry.excText ? `${entry.message}\n${entry.excText}` : entry.message;
  const level = entry.level === 'critical' ? 'error' : entry.level;
  named[level](message);
}
