import { readPubSubMessage } from '../../../src/functions';
import { objectPrototypePolluted } from '../../helpers/prototype-keys';

describe('Function: readPubSubMessage (attributes named __proto__)', () => {
  it('keeps a __proto__ attribute as an own string, not dropped and never a prototype', () => {
    // A push body as the HTTP layer parses it: `__proto__` is an own key of the attributes.
    const body = JSON.parse(
      `{"data": "${Buffer.from('{"kind": "heartbeat"}').toString('base64')}", ` +
        '"attributes": {"__proto__": "x", "recipient": "acme/child:1.0.0"}, "messageId": "1"}',
    ) as unknown;

    const message = readPubSubMessage(body, '/message');

    expect(Object.getPrototypeOf(message.attributes)).toBe(Object.prototype);
    expect(Object.keys(message.attributes)).toEqual(['__proto__', 'recipient']);
    expect(Object.getOwnPropertyDescriptor(message.attributes, '__proto__')?.value).toBe('x');
    expect(objectPrototypePolluted()).toBe(false);
  });
});
