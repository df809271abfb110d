import { InvalidEvent } from '../../../../src/errors';
import {
  EVENT_KINDS,
  SAVE_DIAGNOSTICS_MODES,
  isEventKind,
  isSaveDiagnostics,
  isSenderType,
  makeDeliveryAcknowledgementEvent,
  makeHeartbeatEvent,
  makeMonitorMessageEvent,
  makeQuestionAttributes,
  makeQuestionEvent,
  makeResultEvent,
  toRecordedEvent,
} from '../../../../src/core/events';
import type { QuestionAttributes } from '../../../../src/core/events';

const MANIFEST = { id: 'm', name: null, datasets: { met: 'gs://b/met' } };

describe('Function: makeQuestionEvent', () => {
  it('leaves out absent and null fields', () => {
    expect(makeQuestionEvent()).toEqual({ kind: 'question' });
    expect(makeQuestionEvent({ inputValues: null })).toEqual({ kind: 'question' });
  });

  it('carries inputs and children', () => {
    const children = [{ key: 'k', id: 'a/b:1', backend: { name: 'GCPPubSubBackend', project_id: 'p' } }];
    expect(makeQuestionEvent({ inputValues: { n: 0 }, inputManifest: MANIFEST, children })).toEqual({
      kind: 'question',
      input_values: { n: 0 },
      input_manifest: MANIFEST,
      children,
    });
  });
});

describe('Function: makeResultEvent', () => {
  it('leaves out absent fields and keeps falsy values', () => {
    expect(makeResultEvent()).toEqual({ kind: 'result' });
    expect(makeResultEvent({ outputValues: 0, outputManifest: MANIFEST })).toEqual({
      kind: 'result',
      output_values: 0,
      output_manifest: MANIFEST,
    });
  });
});

describe('Function: makeMonitorMessageEvent', () => {
  it.each([{ progress: 0.5 }, null, 0, 'text'])('carries the data %j', (data) => {
    expect(makeMonitorMessageEvent(data)).toEqual({ kind: 'monitor_message', data });
  });

  it('throws InvalidEvent for undefined data', () => {
    expect(() => makeMonitorMessageEvent(undefined)).toThrow(InvalidEvent);
  });
});

describe('Function: makeDeliveryAcknowledgementEvent / makeHeartbeatEvent', () => {
  it('makes bodiless events', () => {
    expect(makeDeliveryAcknowledgementEvent()).toEqual({ kind: 'delivery_acknowledgement' });
    expect(makeHeartbeatEvent()).toEqual({ kind: 'heartbeat' });
  });
});

describe('Function: toRecordedEvent', () => {
  it('pairs the event with its minimal attributes', () => {
    const attributes = { ...makeQuestionAttributes({ sender: 'a/b:1', recipient: 'c/d:2' }), cpus: undefined };
    const recorded = toRecordedEvent(makeHeartbeatEvent(), attributes as unknown as QuestionAttributes);
    expect(recorded.event).toEqual({ kind: 'heartbeat' });
    expect('cpus' in recorded.attributes).toBe(false);
    expect(recorded.attributes.retry_count).toBe(0);
  });
});

describe('Type guards', () => {
  it('recognise the seven event kinds only', () => {
    expect(EVENT_KINDS).toHaveLength(7);
    expect(EVENT_KINDS.every(isEventKind)).toBe(true);
    expect([isEventKind('cancellation'), isEventKind(undefined), isEventKind(1)]).toEqual([false, false, false]);
  });

  it('recognise sender types and diagnostics modes', () => {
    expect([isSenderType('PARENT'), isSenderType('CHILD'), isSenderType('parent')]).toEqual([true, true, false]);
    expect(SAVE_DIAGNOSTICS_MODES.every(isSaveDiagnostics)).toBe(true);
    expect(isSaveDiagnostics('SAVE_DIAGNOSTICS_SOMETIMES')).toBe(false);
  });
});
