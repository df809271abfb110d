import { InvalidEvent } from '../../../../src/errors';
import {
  SENDER_SDK_VERSION,
  makeQuestionAttributes,
  makeResponseAttributes,
  refreshAttributes,
  toMinimalAttributes,
  validateAttributes,
} from '../../../../src/core/events';
import type { QuestionAttributes } from '../../../../src/core/events';

const QUESTION_UUID = '50760303-ee89-4752-81cc-aadd05f81752';
const SENDER = 'my-org/my-parent:1.0.0';
const RECIPIENT = 'my-org/my-child:2.0.0';
const FIXED = {
  now: () => new Date('2025-05-13T15:39:34.123Z'),
  newUuid: () => '11111111-1111-4111-8111-111111111111',
};

function counter(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${String(next++).padStart(12, '0')}`;
}

describe('Function: makeQuestionAttributes', () => {
  it("fills Octue's defaults", () => {
    const attributes = makeQuestionAttributes(
      { sender: SENDER, recipient: RECIPIENT, questionUuid: QUESTION_UUID },
      FIXED,
    );
    expect(attributes).toEqual({
      uuid: '11111111-1111-4111-8111-111111111111',
      datetime: '2025-05-13T15:39:34.123000+00:00',
      question_uuid: QUESTION_UUID,
      originator_question_uuid: QUESTION_UUID,
      parent: SENDER,
      originator: SENDER,
      sender: SENDER,
      sender_type: 'PARENT',
      sender_sdk_version: SENDER_SDK_VERSION,
      recipient: RECIPIENT,
      retry_count: 0,
      forward_logs: true,
      save_diagnostics: 'SAVE_DIAGNOSTICS_ON_CRASH',
    });
    expect(Object.keys(attributes)).not.toContain('parent_question_uuid');
    expect(() => validateAttributes(attributes)).not.toThrow();
  });

  it("uses 0.69.0, a version in Octue's compatibility table, as the SDK version", () => {
    expect(SENDER_SDK_VERSION).toBe('0.69.0');
  });

  it('makes a fresh question UUID distinct from the event UUID when none is given', () => {
    const attributes = makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT }, { newUuid: counter() });
    expect(attributes.uuid).not.toBe(attributes.question_uuid);
    expect(attributes.originator_question_uuid).toBe(attributes.question_uuid);
  });

  it('keeps every given value', () => {
    const attributes = makeQuestionAttributes({
      sender: SENDER,
      recipient: RECIPIENT,
      questionUuid: 'q',
      parentQuestionUuid: 'pq',
      originatorQuestionUuid: 'oq',
      parent: 'a/parent:1',
      originator: 'a/originator:1',
      senderSdkVersion: '0.51.0',
      retryCount: 2,
      forwardLogs: false,
      saveDiagnostics: 'SAVE_DIAGNOSTICS_OFF',
      cpus: 2,
      memory: '2Gi',
      ephemeralStorage: '256Mi',
    });
    expect(attributes).toMatchObject({
      question_uuid: 'q',
      parent_question_uuid: 'pq',
      originator_question_uuid: 'oq',
      parent: 'a/parent:1',
      originator: 'a/originator:1',
      sender_sdk_version: '0.51.0',
      retry_count: 2,
      forward_logs: false,
      save_diagnostics: 'SAVE_DIAGNOSTICS_OFF',
      cpus: 2,
      memory: '2Gi',
      ephemeral_storage: '256Mi',
    });
  });

  it.each([
    [{ retryCount: -1 }, '/attributes/retry_count'],
    [{ retryCount: 1.5 }, '/attributes/retry_count'],
    [{ cpus: 0 }, '/attributes/cpus'],
  ])('throws InvalidEvent for %j', (params, pointer) => {
    expect(() => makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT, ...params })).toThrow(InvalidEvent);
    try {
      makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT, ...params });
    } catch (error) {
      expect((error as InvalidEvent).failures[0]?.pointer).toBe(pointer);
    }
  });
});

describe('Function: makeResponseAttributes', () => {
  const question: QuestionAttributes = makeQuestionAttributes(
    {
      sender: SENDER,
      recipient: RECIPIENT,
      questionUuid: QUESTION_UUID,
      parentQuestionUuid: 'pq',
      originatorQuestionUuid: 'oq',
      originator: 'my-org/root:1.0.0',
      senderSdkVersion: '0.51.0',
      retryCount: 3,
      cpus: 4,
    },
    FIXED,
  );

  it('swaps sender and recipient and copies the question tree, retry count and SDK version', () => {
    const response = makeResponseAttributes(question, undefined, {
      now: () => new Date('2025-05-13T15:40:00Z'),
      newUuid: () => '22222222-2222-4222-8222-222222222222',
    });
    expect(response).toEqual({
      uuid: '22222222-2222-4222-8222-222222222222',
      datetime: '2025-05-13T15:40:00+00:00',
      question_uuid: QUESTION_UUID,
      parent_question_uuid: 'pq',
      originator_question_uuid: 'oq',
      parent: SENDER,
      originator: 'my-org/root:1.0.0',
      sender: RECIPIENT,
      sender_type: 'CHILD',
      sender_sdk_version: '0.51.0',
      recipient: SENDER,
      retry_count: 3,
    });
    expect(() => validateAttributes(response)).not.toThrow();
  });

  it('uses the given sender', () => {
    expect(makeResponseAttributes(question, 'my-org/other:1.0.0').sender).toBe('my-org/other:1.0.0');
  });

  it('leaves parent_question_uuid out for an originator question', () => {
    const originator = makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT });
    expect(Object.keys(makeResponseAttributes(originator))).not.toContain('parent_question_uuid');
  });

  it('gives each response a fresh event UUID', () => {
    const newUuid = counter();
    const first = makeResponseAttributes(question, undefined, { newUuid });
    const second = refreshAttributes(first, { newUuid });
    expect(second.uuid).not.toBe(first.uuid);
    expect({ ...second, uuid: first.uuid, datetime: first.datetime }).toEqual(first);
  });
});

describe('Function: refreshAttributes', () => {
  it('changes only the uuid and datetime', () => {
    const original = makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT }, FIXED);
    const refreshed = refreshAttributes(original, {
      now: () => new Date('2026-01-01T00:00:00.001Z'),
      newUuid: () => '33333333-3333-4333-8333-333333333333',
    });
    expect(refreshed).toEqual({
      ...original,
      uuid: '33333333-3333-4333-8333-333333333333',
      datetime: '2026-01-01T00:00:00.001000+00:00',
    });
  });
});

describe('Function: toMinimalAttributes', () => {
  it('drops undefined and null attributes', () => {
    const attributes = {
      ...makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT }),
      cpus: undefined,
      memory: null,
    };
    const minimal = toMinimalAttributes(attributes as unknown as QuestionAttributes);
    expect(Object.keys(minimal)).not.toEqual(expect.arrayContaining(['cpus']));
    expect(Object.keys(minimal)).not.toEqual(expect.arrayContaining(['memory']));
    expect(minimal.sender).toBe(SENDER);
  });
});
