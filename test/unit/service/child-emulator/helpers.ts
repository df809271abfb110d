import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createLogger, memoryLogSink } from '../../../../src/service';
import type { Logger, SkeinLogEntry } from '../../../../src/service';

/** The child of the recordings below. */
export const CHILD = 'octue/test-service:1.0.0';
/** The question the recordings below answer. */
export const QUESTION_UUID = 'd45c7e99-d610-413b-8130-dd6eef46dda6';

/** Response attributes as Octue records them (typed, minimal). */
export const ATTRIBUTES = {
  datetime: '2024-04-11T10:46:48.236064',
  uuid: 'a9de11b1-e88f-43fa-b3a4-40a590c3443f',
  retry_count: 0,
  question_uuid: QUESTION_UUID,
  parent_question_uuid: '5776ad74-52a6-46f7-a526-90421d91b8b2',
  originator_question_uuid: '86dc55b2-4282-42bd-92d0-bd4991ae7356',
  parent: 'octue/another-service:3.2.1',
  originator: 'octue/another-service:3.2.1',
  sender: CHILD,
  sender_type: 'CHILD',
  sender_sdk_version: '0.51.0',
  recipient: 'octue/another-service:3.2.1',
} as const;

/** Pairs an event with {@link ATTRIBUTES}, as recorded. */
export function recorded(event: Record<string, unknown>): {
  event: Record<string, unknown>;
  attributes: typeof ATTRIBUTES;
} {
  return { event, attributes: ATTRIBUTES };
}

/** A full Python log record with the given message. */
export function logRecord(msg: string, levelname = 'INFO', levelno = 20): Record<string, unknown> {
  return {
    name: 'app',
    msg,
    args: null,
    levelname,
    levelno,
    pathname: '/workspace/app.py',
    filename: 'app.py',
    module: 'app',
    lineno: 12,
    funcName: 'run',
    created: 1709739858.1877987,
    msecs: 187.8,
    relativeCreated: 5152.9,
    thread: 1,
    threadName: 'MainThread',
    process: 2,
    processName: 'MainProcess',
    exc_info: null,
    exc_text: null,
    stack_info: null,
  };
}

/** A recording: acknowledgement, two logs, two monitor messages, the result, then a heartbeat after it. */
export const RECORDING = [
  recorded({ kind: 'delivery_acknowledgement' }),
  recorded({ kind: 'log_record', log_record: logRecord('Started example analysis.') }),
  recorded({ kind: 'monitor_message', data: { progress: 0.5 } }),
  recorded({ kind: 'log_record', log_record: logRecord('Nearly done.', 'WARNING', 30) }),
  recorded({ kind: 'monitor_message', data: { progress: 1 } }),
  recorded({ kind: 'result', output_values: [1, 2, 3, 4, 5] }),
  recorded({ kind: 'heartbeat' }),
];

/** A logger keeping its entries. */
export function recordingLogger(): { logger: Logger; entries: SkeinLogEntry[] } {
  const { sink, entries } = memoryLogSink();
  return { logger: createLogger({ name: 'test', sinks: [{ sink }] }), entries };
}

/** A fresh temporary directory and its clean-up. */
export function temporaryDirectory(): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'skein-child-emulator-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
