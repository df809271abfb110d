import {
  InvalidQuestion,
  InvalidValuesContents,
  MessageTooLarge,
  QuestionTimeout,
  RemoteException,
  ServiceNotFound,
  SkeinError,
} from '../../../../src/errors';
import {
  errorToExceptionEvent,
  exceptionEventToError,
  formatExceptionText,
  pythonTypeName,
  remoteExceptionClass,
} from '../../../../src/core/events';
import type { ExceptionEvent } from '../../../../src/core/events';

const SRUID = 'acme/child:2.1.0';

class UnnamedUserError extends Error {}
class NamedUserError extends Error {
  override name = 'ModelDiverged';
}
class NeedsContext extends SkeinError {
  constructor(message: string, context: { required: string }) {
    super(`${message} ${context.required.length}`);
  }
}

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: failed`), { code });
}

describe('Function: pythonTypeName', () => {
  it.each<[string, unknown, string]>([
    ['a Skein error', new InvalidValuesContents('bad'), 'InvalidValuesContents'],
    ['a QuestionTimeout', new QuestionTimeout('late'), 'TimeoutError'],
    ['an InvalidQuestion', new InvalidQuestion('bad question'), 'ValidationError'],
    ['a TypeError', new TypeError('t'), 'TypeError'],
    ['a RangeError', new RangeError('r'), 'ValueError'],
    ['a SyntaxError', new SyntaxError('s'), 'ValueError'],
    ['a URIError', new URIError('u'), 'ValueError'],
    ['a ReferenceError', new ReferenceError('x'), 'NameError'],
    ['an EvalError', new EvalError('e'), 'RuntimeError'],
    ['a plain Error', new Error('e'), 'Exception'],
    ['an AggregateError', new AggregateError([], 'a'), 'Exception'],
    ['a string', 'oops', 'Exception'],
    ['an ENOENT system error', systemError('ENOENT'), 'FileNotFoundError'],
    ['an EACCES system error', systemError('EACCES'), 'PermissionError'],
    ['an ETIMEDOUT system error', systemError('ETIMEDOUT'), 'TimeoutError'],
    ['an unknown system error code', systemError('EWHATEVER'), 'Exception'],
    ['a user class that does not set name', new UnnamedUserError('u'), 'UnnamedUserError'],
    ['a user class that sets name', new NamedUserError('n'), 'ModelDiverged'],
    ['a DOMException', new DOMException('aborted', 'AbortError'), 'AbortError'],
    ['an error with a non-identifier name', Object.assign(new Error('x'), { name: 'not a name' }), 'Exception'],
  ])('names %s as Python would', (_label, error, expected) => {
    expect(pythonTypeName(error)).toBe(expected);
  });
});

describe('Function: errorToExceptionEvent', () => {
  it('builds the exception event with the service in the message and a Python-style traceback', () => {
    const event = errorToExceptionEvent(new RangeError('n must be > 0'), SRUID);
    expect(event.kind).toBe('exception');
    expect(event.exception_type).toBe('ValueError');
    expect(event.exception_message).toBe("Error in <Service('acme/child:2.1.0')>: n must be > 0");
    expect(event.exception_traceback.length).toBeGreaterThan(0);
    for (const frame of event.exception_traceback) {
      expect(frame).toMatch(/^ {2}File "[^"]*", line (\d+|None), in \S.*\n$/);
    }
    // Oldest frame first, as Python lists them: this test's own frame is the last.
    expect(event.exception_traceback.at(-1)).toContain('exception-codec.test.ts');
  });

  it('sends a thrown non-Error as an Exception without a traceback', () => {
    expect(errorToExceptionEvent(42, SRUID)).toEqual({
      kind: 'exception',
      exception_type: 'Exception',
      exception_message: "Error in <Service('acme/child:2.1.0')>: 42",
      exception_traceback: [],
    });
  });
});

describe('Function: exceptionEventToError', () => {
  const traceback = [
    '  File "/w/app.py", line 3, in run\n    raise ValueError(...)\n',
    '  File "/w/b.py", line 9, in f\n',
  ];
  const event = (type: string): ExceptionEvent => ({
    kind: 'exception',
    exception_type: type,
    exception_message: "Error in <Service('acme/child:2.1.0')>: n must be > 0",
    exception_traceback: traceback,
  });
  const expectedMessage =
    "Error in <Service('acme/child:2.1.0')>: n must be > 0\n\nThe following traceback was captured from the remote " +
    `service '${SRUID}':\n\n${traceback.join('')}`;

  it.each<[string, new (...args: never[]) => Error]>([
    ['InvalidValuesContents', InvalidValuesContents],
    ['ServiceNotFound', ServiceNotFound],
    ['TimeoutError', QuestionTimeout],
    ['ValidationError', InvalidQuestion],
    ['TypeError', TypeError],
    ['RangeError', RangeError],
    ['SyntaxError', SyntaxError],
    ['Error', Error],
  ])('re-creates %s as its known class', (type, cls) => {
    const error = exceptionEventToError(event(type), SRUID);
    expect(error).toBeInstanceOf(cls);
    expect(error.constructor).toBe(cls);
    expect(error.message).toBe(expectedMessage);
  });

  it.each(['ValueError', 'KeyError', 'Exception', 'MyCustomError', 'RemoteException'])(
    're-creates the unknown or Python-only type %s as a named RemoteException',
    (type) => {
      const error = exceptionEventToError(event(type), SRUID) as RemoteException;
      expect(error).toBeInstanceOf(RemoteException);
      expect(error).toBeInstanceOf(SkeinError);
      expect(error.name).toBe(type);
      expect(error.message).toBe(expectedMessage);
      expect(error.exceptionType).toBe(type);
      expect(error.sender).toBe(SRUID);
      expect(error.remoteTraceback).toEqual(traceback);
    },
  );

  it('makes one class per remote type name', () => {
    const first = exceptionEventToError(event('ValueError'), SRUID);
    const second = exceptionEventToError(event('ValueError'), SRUID);
    expect(first.constructor).toBe(second.constructor);
    expect(second).toBeInstanceOf(remoteExceptionClass('ValueError'));
    expect(second).not.toBeInstanceOf(remoteExceptionClass('KeyError'));
    expect(remoteExceptionClass('ValueError').name).toBe('ValueError');
  });

  it('round-trips Skein errors and JS built-ins through an exception event', () => {
    for (const original of [new InvalidValuesContents('bad'), new QuestionTimeout('late'), new TypeError('t')]) {
      const back = exceptionEventToError(errorToExceptionEvent(original, SRUID), SRUID);
      expect(back.constructor).toBe(original.constructor);
      expect(back.message.startsWith(`Error in <Service('${SRUID}')>: ${original.message}\n\n`)).toBe(true);
    }
  });

  it('forwards a re-created remote error under its remote name', () => {
    const remote = exceptionEventToError(event('ValueError'), SRUID);
    expect(errorToExceptionEvent(remote, 'acme/parent:1.0.0').exception_type).toBe('ValueError');
  });

  it('re-creates extra classes given by the caller, by wire name or class name', () => {
    class AppError extends Error {}
    class Renamed extends Error {
      static readonly wireName = 'WireRenamed';
    }
    const options = { errorClasses: [AppError, Renamed] };
    expect(exceptionEventToError(event('AppError'), SRUID, options)).toBeInstanceOf(AppError);
    expect(exceptionEventToError(event('WireRenamed'), SRUID, options)).toBeInstanceOf(Renamed);
    expect(exceptionEventToError(event('Renamed'), SRUID, options)).not.toBeInstanceOf(Renamed);
  });

  it('re-creates a known class whose constructor needs more than a message, keeping the remote message', () => {
    const error = exceptionEventToError(event('NeedsContext'), SRUID, { errorClasses: [NeedsContext as never] });
    expect(error).toBeInstanceOf(NeedsContext);
    expect(error.name).toBe('NeedsContext');
    expect(error.message.startsWith(event('NeedsContext').exception_message)).toBe(true);
  });

  it('re-creates MessageTooLarge (built from sizes) with the remote message, not a garbled one', () => {
    const error = exceptionEventToError(event('MessageTooLarge'), SRUID);
    expect(error).toBeInstanceOf(MessageTooLarge);
    expect(error.message.startsWith(event('MessageTooLarge').exception_message)).toBe(true);
  });
});

describe('Function: formatExceptionText', () => {
  it('formats like Python with the traceback header when there are frames', () => {
    expect(formatExceptionText(new TypeError('bad type'))).toMatch(
      /^Traceback \(most recent call last\):\n( {2}File "[^"]*", line (\d+|None), in .*\n)+TypeError: bad type$/,
    );
  });

  it('gives only the last line when there is no stack', () => {
    expect(formatExceptionText('boom')).toBe('Exception: boom');
  });
});
