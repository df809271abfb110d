import { InvalidInputException } from '../../../src/errors';
import { Service } from '../../../src/service';
import { ReturnCode, StreamerShutDown } from '../../../src/streaming';
import { ListProducer, ManualClock, RECEIVER, RecordingFactory, SENDER, StreamWorld, deferred, texts } from './helpers';

describe('Class: Service', () => {
  describe('Method: serve (with streams)', () => {
    let world: StreamWorld;

    beforeEach(async () => {
      world = await new StreamWorld().start();
    });

    afterEach(async () => {
      await world.close();
    });

    function service(): Service {
      return new Service({
        serviceId: RECEIVER,
        transport: world.transport,
        clock: new ManualClock(),
        runFunction: async () => ({ outputValues: {} }),
      });
    }

    it('receives the streams addressed to the service while serving and shuts the streamer down on stopping', async () => {
      // Prepare
      const factory = new RecordingFactory();
      const { engine: streams } = await world.engine(RECEIVER, {}, false);
      streams.registerStreamProcessing('c', 't', factory);
      const { engine: sender } = await world.engine(SENDER);
      const controller = new AbortController();
      const ready = deferred();
      const serving = service().serve({ signal: controller.signal, streams, onReady: () => ready.resolve() });
      await ready.promise;

      // Act
      const result = await sender.streamObjects('c', 't', {}, [RECEIVER], new ListProducer(texts('a', 'EOF')));
      controller.abort();
      await serving;

      // Assess
      expect(result).toEqual([ReturnCode.OK, undefined]);
      expect(factory.finalized).toEqual([expect.objectContaining({ rc: ReturnCode.OK, chunks: ['a', 'EOF'] })]);
      await expect(streams.streamObjects('c', 't', {}, [SENDER], new ListProducer([]))).rejects.toBeInstanceOf(
        StreamerShutDown,
      );
    });

    it("refuses a stream engine that serves another service's SRUID", async () => {
      const { engine: streams } = await world.engine(SENDER, {}, false);
      await expect(service().serve({ streams, timeoutMs: 1 })).rejects.toBeInstanceOf(InvalidInputException);
    });
  });
});
