import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Dataset, Manifest } from '../../../src/core/resources';
import { Twine } from '../../../src/core/twine';
import {
  InvalidInputException,
  InvalidMonitorMessage,
  InvalidValuesContents,
  StrandNotFound,
  TwineValueException,
} from '../../../src/errors';
import { Analysis, createLogger, memoryLogSink, prepareOutputs } from '../../../src/service';
import { ManualClock, temporaryStore } from './helpers';

const OUTPUT_TWINE = {
  output_values_schema: { type: 'object', properties: { blah: { type: 'integer' } }, required: ['blah'] },
  output_manifest: { datasets: { the_dataset: { purpose: 'testing' } } },
};

let storage: ReturnType<typeof temporaryStore>;

beforeEach(() => {
  storage = temporaryStore();
});

afterEach(() => {
  storage.cleanup();
});

async function localManifest(): Promise<Manifest> {
  const directory = join(storage.root, 'local', 'the_dataset');
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'my_file.dat'), 'hello');
  const dataset = await Dataset.fromLocalDirectory(directory, { labels: ['one', 'two'] });
  return new Manifest({ datasets: { the_dataset: dataset } });
}

describe('Class: Analysis', () => {
  describe('Method: constructor', () => {
    it('leaves the hashes undefined when the strands are absent', () => {
      const analysis = new Analysis({ twine: '{}' });

      expect([
        analysis.configurationValuesHash,
        analysis.configurationManifestHash,
        analysis.inputValuesHash,
        analysis.inputManifestHash,
      ]).toEqual([undefined, undefined, undefined, undefined]);
      expect(analysis.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('hashes values as 8-character CRC32C strings that differ when the values differ', () => {
      const first = new Analysis({ twine: {}, configurationValues: { a: 1 }, inputValues: { b: 2 } });
      const same = new Analysis({ twine: {}, configurationValues: { a: 1 }, inputValues: { b: 2 } });
      const other = new Analysis({ twine: {}, inputValues: { b: 3 } });

      expect(first.configurationValuesHash).toHaveLength(8);
      expect(first.inputValuesHash).toBe(same.inputValuesHash);
      expect(first.inputValuesHash).not.toBe(other.inputValuesHash);
    });
  });

  describe('Method: create', () => {
    it('hashes the input and configuration manifests', async () => {
      const manifest = await localManifest();

      const analysis = await Analysis.create({ twine: {}, inputManifest: manifest, configurationManifest: manifest });

      expect(analysis.inputManifestHash).toBe(await manifest.hash());
      expect(analysis.configurationManifestHash).toHaveLength(8);
    });
  });

  describe('Method: sendMonitorMessage', () => {
    const twine = {
      monitor_message_schema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
    };

    it('passes a valid message to the handler', () => {
      const sent: unknown[] = [];
      const analysis = new Analysis({ twine, handleMonitorMessage: (data) => sent.push(data) });

      analysis.sendMonitorMessage({ n: 1 });

      expect(sent).toEqual([{ n: 1 }]);
    });

    it('throws InvalidMonitorMessage with the failing pointer when the schema refuses the message', () => {
      const sent: unknown[] = [];
      const analysis = new Analysis({ twine, handleMonitorMessage: (data) => sent.push(data) });

      let caught: unknown;
      try {
        analysis.sendMonitorMessage({ n: 'one' });
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(InvalidMonitorMessage);
      expect((caught as InvalidMonitorMessage).failures[0]?.pointer).toBe('/n');
      expect(sent).toEqual([]);
    });

    it('throws StrandNotFound when the twine has no monitor_message_schema', () => {
      expect(() => new Analysis({ twine: {} }).sendMonitorMessage({ n: 1 })).toThrow(StrandNotFound);
    });

    it('logs a warning when there is no handler', () => {
      const { sink, entries } = memoryLogSink();
      const analysis = new Analysis({ twine, logger: createLogger({ sinks: [{ sink }] }) });

      analysis.sendMonitorMessage({ n: 1 });

      expect(entries).toContainEqual(
        expect.objectContaining({
          level: 'warning',
          message: 'Attempted to send a monitor message but no handler is specified.',
        }),
      );
    });
  });

  describe('Method: setUpPeriodicMonitorMessage', () => {
    it('sends a fresh message every period until stopped, skipping (and logging) messages that fail', () => {
      // Prepare
      const clock = new ManualClock();
      const sent: unknown[] = [];
      const { sink, entries } = memoryLogSink();
      const analysis = new Analysis({
        twine: { monitor_message_schema: { type: 'object', required: ['count'] } },
        handleMonitorMessage: (data) => sent.push(data),
        logger: createLogger({ sinks: [{ sink }] }),
        clock,
      });
      let count = 0;

      // Act
      const stop = analysis.setUpPeriodicMonitorMessage(() => (++count === 2 ? { wrong: true } : { count }), 60);
      analysis.setUpPeriodicMonitorMessage(() => ({ count: 'other' }), 30);
      clock.tick(60_000);
      clock.tick(60_000);
      stop();
      clock.tick(60_000);
      analysis.stopPeriodicMonitorMessages();
      clock.tick(60_000);

      // Assess
      const other = { count: 'other' };
      expect(sent).toEqual([{ count: 1 }, other, other, other, other, other, other]);
      expect(entries.filter((entry) => entry.level === 'error')).toHaveLength(1);
      expect(clock.activeTimers).toBe(0);
    });
  });

  describe('Essential monitor messages', () => {
    it('sends status texts and estimated seconds remaining in Octue essential-monitor form', () => {
      const clock = new ManualClock();
      const sent: unknown[] = [];
      const analysis = new Analysis({
        twine: { monitor_message_schema: {} },
        serviceId: 'acme/child:1.0.0',
        handleMonitorMessage: (data) => sent.push(data),
        clock,
      });

      analysis.sendStatusText('Halfway there.');
      analysis.sendEstimatedSecondsRemaining(42.5);

      expect(sent).toEqual([
        { service: 'acme/child:1.0.0', status_text: 'Halfway there.', date_time: '2025-06-01T10:00:00+00:00' },
        { service: 'acme/child:1.0.0', estimated_seconds_remaining: 42.5, date_time: '2025-06-01T10:00:00+00:00' },
      ]);
    });
  });

  describe('Method: finalise', () => {
    it('throws InvalidValuesContents when the output values fail the twine', async () => {
      const analysis = new Analysis({ twine: OUTPUT_TWINE, outputValues: { wrong: 'hello' } });

      await expect(analysis.finalise()).rejects.toThrow(InvalidValuesContents);
      expect(analysis.finalised).toBe(false);
    });

    it('throws TwineValueException when the app left the required output values untouched', async () => {
      const twine = new Twine({ output_values_schema: OUTPUT_TWINE.output_values_schema });
      const analysis = new Analysis({ twine, ...prepareOutputs(twine) });

      await expect(analysis.finalise()).rejects.toThrow(TwineValueException);
    });

    it('throws StrandNotFound when the app produced outputs the twine does not declare', async () => {
      await expect(new Analysis({ twine: {}, outputValues: [1] }).finalise()).rejects.toThrow(StrandNotFound);
    });

    it('validates the outputs and leaves datasets in place when there is no output location', async () => {
      const manifest = await localManifest();
      const path = manifest.getDataset('the_dataset').path;
      const analysis = new Analysis({ twine: OUTPUT_TWINE, outputValues: { blah: 3 }, outputManifest: manifest });

      await analysis.finalise();

      expect(analysis.finalised).toBe(true);
      expect(analysis.outputManifest?.getDataset('the_dataset').path).toBe(path);
    });

    it('uploads each output dataset to <output location>/<slug>/<dataset key>', async () => {
      // Prepare
      const analysis = new Analysis({
        twine: OUTPUT_TWINE,
        outputValues: { blah: 3 },
        outputManifest: await localManifest(),
        outputLocation: 'gs://outputs/wind-speed',
        objectStore: storage.store,
      });

      // Act
      await analysis.finalise();

      // Assess
      const path = analysis.outputManifest?.getDataset('the_dataset').path ?? '';
      expect(path).toMatch(/^gs:\/\/outputs\/wind-speed\/[a-z]+-[a-z]+\/the_dataset$/);
      expect((await storage.store.read(`${path}/my_file.dat`)).toString()).toBe('hello');
      const reloaded = await Dataset.fromCloud(path, { store: storage.store });
      expect([...reloaded.labels].sort()).toEqual(['one', 'two']);
    });

    it('uploads to an explicit location and signs the dataset paths when asked', async () => {
      const analysis = new Analysis({
        twine: OUTPUT_TWINE,
        outputValues: { blah: 3 },
        outputManifest: await localManifest(),
        objectStore: storage.store,
      });

      await analysis.finalise({ uploadOutputDatasetsTo: 'gs://outputs/explicit', useSignedUrls: true });

      const path = analysis.outputManifest?.getDataset('the_dataset').path ?? '';
      expect(await storage.store.exists('gs://outputs/explicit/the_dataset/my_file.dat')).toBe(true);
      expect(path.startsWith('file://')).toBe(true);
      const fromUrl = await Dataset.fromUrl(path);
      expect(fromUrl.files.size).toBe(1);
    });

    it('loads an output manifest the app gave as a primitive', async () => {
      const manifest = await localManifest();
      const analysis = new Analysis({ twine: OUTPUT_TWINE, outputValues: { blah: 1 } });
      analysis.outputManifest = manifest.toPrimitive() as unknown as Manifest;

      await analysis.finalise();

      expect(analysis.outputManifest).toBeInstanceOf(Manifest);
    });

    it('throws a clear error when datasets must be uploaded but no object store was given', async () => {
      const analysis = new Analysis({
        twine: OUTPUT_TWINE,
        outputValues: { blah: 3 },
        outputManifest: await localManifest(),
        outputLocation: 'gs://outputs/wind-speed',
      });

      await expect(analysis.finalise()).rejects.toThrow(InvalidInputException);
    });
  });
});

describe('Function: prepareOutputs', () => {
  it('starts output values as {} and the output manifest with one empty dataset per key', () => {
    const prepared = prepareOutputs(new Twine(OUTPUT_TWINE));

    expect(prepared.outputValues).toEqual({});
    expect(Object.keys(prepared.outputManifest?.datasets ?? {})).toEqual(['the_dataset']);
    expect(prepared.outputManifest?.getDataset('the_dataset').name).toBe('the_dataset');
  });

  it('leaves both undefined when the twine has no output strands', () => {
    expect(prepareOutputs(new Twine({}))).toEqual({ outputValues: undefined, outputManifest: undefined });
  });
});
