import { InvalidEvent } from '../../../src/errors';
import { readPubSubMessage } from '../../../src/functions';

const base64 = (text: string): string => Buffer.from(text).toString('base64');

describe('Function: readPubSubMessage', () => {
  it('decodes the data and reads the attributes, id, publish time and ordering key', () => {
    // Act
    const message = readPubSubMessage(
      {
        data: base64('{"kind":"question"}'),
        attributes: { recipient: 'acme/child:1.0.0' },
        messageId: '17',
        publishTime: '2026-11-22T01:39:21.613Z',
        orderingKey: 'q-1',
      },
      '/message',
    );

    // Assess
    expect(message).toEqual({
      id: '17',
      data: Buffer.from('{"kind":"question"}'),
      attributes: { recipient: 'acme/child:1.0.0' },
      publishTime: new Date('2026-11-22T01:39:21.613Z'),
      orderingKey: 'q-1',
      deliveryAttempt: 1,
    });
  });

  it('reads the snake_case spellings, URL-safe base64 and the fallbacks of the surrounding event', () => {
    // Act
    const message = readPubSubMessage({ data: '-_8', message_id: '5', publish_time: '2026-01-01T00:00:00Z' }, '/m', {
      id: 'ignored',
      deliveryAttempt: 3,
    });

    // Assess
    expect(message).toMatchObject({ id: '5', attributes: {}, deliveryAttempt: 3 });
    expect([...message.data]).toEqual([0xfb, 0xff]);
    expect(message.publishTime.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('takes the id and time from the surrounding event when the message has none', () => {
    // Act
    const message = readPubSubMessage({ data: base64('x') }, '/data', { id: 'evt-1', time: '2026-02-03T04:05:06Z' });

    // Assess
    expect(message.id).toBe('evt-1');
    expect(message.publishTime.toISOString()).toBe('2026-02-03T04:05:06.000Z');
  });

  it.each([
    ['no message', undefined, '/message', 'holds no Pub/Sub message'],
    ['a message that is an array', [], '/message', 'holds no Pub/Sub message'],
    ['no data', { attributes: {} }, '/message/data', 'has no data'],
    ['empty data', { data: '' }, '/message/data', 'has no data'],
    ['data that is a number', { data: 12 }, '/message/data', 'must be a base64 string'],
    ['data outside the base64 alphabet', { data: 'a*b=' }, '/message/data', 'not valid base64'],
    ['data of impossible length', { data: 'abcde' }, '/message/data', 'not valid base64'],
    ['attributes that are a string', { data: 'YQ==', attributes: 'a=b' }, '/message/attributes', 'must be an object'],
    ['a number attribute', { data: 'YQ==', attributes: { n: 1 } }, '/message/attributes/n', "'n' must be a string"],
  ])('throws InvalidEvent for %s', (_case, message, pointer, problem) => {
    // Act
    const read = (): unknown => readPubSubMessage(message, '/message');

    // Assess
    expect(read).toThrow(InvalidEvent);
    expect(read).toThrow(problem);
    try {
      read();
    } catch (error) {
      expect((error as InvalidEvent).failures[0]?.pointer).toBe(pointer);
    }
  });
});
