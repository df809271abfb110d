import {
  ANSWER_SUBSCRIPTION_TTL_SECONDS,
  answerSubscription,
  childSubscription,
  resolveServicesTopicName,
  sharedAnswerSubscription,
  validateResourceName,
} from '../../../src/core/topology';
import { InvalidResourceName, InvalidServiceID } from '../../../src/errors';

describe('Function: resolveServicesTopicName', () => {
  it.each([
    ['Octue’s default when nothing is set', {}, undefined, 'main.octue.twined.services'],
    ['the environment as prefix', {}, 'staging', 'staging.octue.twined.services'],
    ['the variable verbatim', { TWINED_SERVICES_TOPIC_NAME: 'custom.topic' }, undefined, 'custom.topic'],
    ['the variable over the environment', { TWINED_SERVICES_TOPIC_NAME: 'custom.topic' }, 'staging', 'custom.topic'],
    [
      'the default when the variable is empty',
      { TWINED_SERVICES_TOPIC_NAME: '' },
      undefined,
      'main.octue.twined.services',
    ],
  ])('gives %s', (_case, env: Record<string, string>, environment, expected) => {
    expect(resolveServicesTopicName({ env, environment })).toBe(expected);
  });

  it.each([
    ['an environment with a dot', {}, 'a.b'],
    ['an empty environment', {}, ''],
    ['an environment with a space', {}, 'my env'],
    ['a variable naming a reserved topic', { TWINED_SERVICES_TOPIC_NAME: 'goog.services' }, undefined],
    ['a variable naming a too-short topic', { TWINED_SERVICES_TOPIC_NAME: 'ab' }, undefined],
  ])('throws InvalidResourceName for %s', (_case, env: Record<string, string>, environment) => {
    expect(() => resolveServicesTopicName({ env, environment })).toThrow(InvalidResourceName);
  });

  it('names the refused environment in the message', () => {
    expect(() => resolveServicesTopicName({ env: {}, environment: 'a.b' })).toThrow(/environment 'a\.b'/);
  });
});

describe('Function: validateResourceName', () => {
  it.each([['abc'], ['main.octue.twined.services'], ['a-b_c.d~e+f%g'], ['x'.repeat(255)]])('accepts %s', (name) => {
    expect(() => validateResourceName('topic', name)).not.toThrow();
  });

  it.each([
    ['too short', 'ab'],
    ['starting with a digit', '1abc'],
    ['starting with goog', 'GOOGle-topic'],
    ['with a slash', 'a/b/c'],
    ['too long', 'x'.repeat(256)],
  ])('refuses a name %s with a typed error naming the kind and the name', (_case, name) => {
    expect(() => validateResourceName('subscription', name)).toThrow(
      expect.objectContaining({ name: 'InvalidResourceName', resourceKind: 'subscription', resourceName: name }),
    );
  });
});

describe('Function: childSubscription', () => {
  it('names the subscription after the SRUID in Pub/Sub form and filters to questions for the child', () => {
    expect(childSubscription('acme/child:2.1.0')).toEqual({
      name: 'acme.child.2-1-0',
      filter: { recipient: 'acme/child:2.1.0', sender_type: 'PARENT' },
    });
  });

  it.each([['acme/child'], ['acme_x/child:1.0.0'], ['']])('throws InvalidServiceID for %j', (sruid) => {
    expect(() => childSubscription(sruid)).toThrow(InvalidServiceID);
  });
});

describe('Function: answerSubscription', () => {
  it("names it '<parent>.answers.<question uuid>', filters to the child's answers and expires after 31 days", () => {
    // Act
    const spec = answerSubscription({
      parentSruid: 'local/local:local',
      questionUuid: '9f2c1b7e-5d33-4a1c-8a9e-0c1d2e3f4a5b',
    });

    // Assess
    expect(spec).toEqual({
      name: 'local.local.local.answers.9f2c1b7e-5d33-4a1c-8a9e-0c1d2e3f4a5b',
      filter: {
        recipient: 'local/local:local',
        question_uuid: '9f2c1b7e-5d33-4a1c-8a9e-0c1d2e3f4a5b',
        sender_type: 'CHILD',
      },
      expirationTtlSeconds: ANSWER_SUBSCRIPTION_TTL_SECONDS,
    });
    expect(ANSWER_SUBSCRIPTION_TTL_SECONDS).toBe(2_678_400);
  });

  it('adds the push endpoint when given one', () => {
    const spec = answerSubscription({ parentSruid: 'a/b:1', questionUuid: 'q1', pushEndpoint: 'https://x/y' });
    expect(spec.pushEndpoint).toBe('https://x/y');
  });

  it('throws InvalidServiceID for a parent id without a revision tag', () => {
    expect(() => answerSubscription({ parentSruid: 'acme/parent', questionUuid: 'q1' })).toThrow(InvalidServiceID);
  });

  it.each([
    ['an empty question uuid', ''],
    ['a question uuid with a slash', 'a/b'],
  ])('throws InvalidResourceName for %s', (_case, questionUuid) => {
    expect(() => answerSubscription({ parentSruid: 'acme/parent:1.0.0', questionUuid })).toThrow(InvalidResourceName);
  });
});

describe('Function: sharedAnswerSubscription', () => {
  it("names it '<parent>.answers.<listener id>', filters to all the parent's answers and expires after 31 days", () => {
    const spec = sharedAnswerSubscription('acme/parent:1.0.0', '0b7e4c9a-3d2f-4e1a-9b8c-7d6e5f4a3b2c');

    expect(spec).toEqual({
      name: 'acme.parent.1-0-0.answers.0b7e4c9a-3d2f-4e1a-9b8c-7d6e5f4a3b2c',
      filter: { recipient: 'acme/parent:1.0.0', sender_type: 'CHILD' },
      expirationTtlSeconds: ANSWER_SUBSCRIPTION_TTL_SECONDS,
    });
  });

  it('throws InvalidServiceID for a parent id without a revision tag', () => {
    expect(() => sharedAnswerSubscription('acme/parent', 'l1')).toThrow(InvalidServiceID);
  });

  it.each([
    ['an empty listener id', ''],
    ['a listener id with a slash', 'a/b'],
  ])('throws InvalidResourceName for %s', (_case, listenerId) => {
    expect(() => sharedAnswerSubscription('acme/parent:1.0.0', listenerId)).toThrow(InvalidResourceName);
  });
});
