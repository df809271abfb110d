import { relabelLogMessage, splitLogLabels } from '../../../../src/service/event-handler';

describe('Function: splitLogLabels', () => {
  it.each([
    ['Started.', [], 'Started.'],
    ['[a/b:1 | q1] Started.', ['a/b:1 | q1'], 'Started.'],
    ['[a/b:1 | q1] [c/d:2 | q2] Started.', ['a/b:1 | q1', 'c/d:2 | q2'], 'Started.'],
    ['Value [1] was odd] really.', [], 'Value [1] was odd] really.'],
    ['[a/b:1 | q1] list [1] is short', ['a/b:1 | q1'], 'list [1] is short'],
    ['[no space after]', [], '[no space after]'],
  ])('splits %p into labels and text', (message, labels, text) => {
    expect(splitLogLabels(message)).toEqual({ labels, text });
  });
});

describe('Function: relabelLogMessage', () => {
  it.each([
    [true, 'Done.', '[s/x:1 | q] Done.'],
    [true, '[g/y:2 | q2] Done.', '[s/x:1 | q] [g/y:2 | q2] Done.'],
    [false, '[g/y:2 | q2] Done.', 'Done.'],
  ])('with includeServiceMetadata %p labels %p as %p', (includeServiceMetadata, message, expected) => {
    expect(relabelLogMessage(message, { sender: 's/x:1', questionUuid: 'q', includeServiceMetadata })).toBe(expected);
  });
});
