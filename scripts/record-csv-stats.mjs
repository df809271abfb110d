// Records the csv-stats example service answering one question per example site, in Octue's {event, attributes}
// format, into test/fixtures/recordings/csv-stats/<site>.json. The aggregator's tests replay these through
// ChildEmulator, so they need no transport. Run after `npm run build`: `node scripts/record-csv-stats.mjs`.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const skein = require(join(root, 'dist/src/index.js'));
const csvStats = require(join(root, 'dist/apps/csv-stats/index.js'));

const CSV_STATS_ID = 'skein/csv-stats:1.0.0';
const SITES = ['harbour', 'north-ridge', 'valley-farm'];
const out = join(root, 'test', 'fixtures', 'recordings', 'csv-stats');
mkdirSync(out, { recursive: true });

const logger = skein.createLogger({ sinks: [] });
const transport = new skein.InMemoryTransport({
  topicName: 'record.octue.twined.services',
  broker: new skein.InMemoryBroker(),
});
await transport.ensureTopic();
const service = new skein.Service({
  serviceId: CSV_STATS_ID,
  transport,
  logger,
  runner: new skein.Runner({
    app: csvStats,
    twine: csvStats.CSV_STATS_TWINE,
    serviceId: CSV_STATS_ID,
    logger,
    // The service reads exactly the example data sent as local paths.
    allowedLocalRoots: [join(root, 'examples', 'data')],
  }),
});
const stop = new AbortController();
await new Promise((ready) => void service.serve({ signal: stop.signal, onReady: ready }));
for (const site of SITES) {
  // The answer names the summary csv-stats leaves in the OS's temporary directory, which this recorder allows.
  const child = new skein.Child({
    id: CSV_STATS_ID,
    parentSruid: 'skein/aggregator:1.0.0',
    transport,
    logger,
    allowedLocalRoots: [tmpdir()],
  });
  const tables = await skein.Dataset.fromLocalDirectory(join(root, 'examples', 'data', site));
  // Relative paths keep the recording the same on every machine.
  await child.ask({
    inputManifest: new skein.Manifest({ datasets: { tables } }),
    allowLocalFiles: true,
    recordEvents: true,
  });
  await child.close();
  skein.saveRecordedEvents(join(out, `${site}.json`), child.receivedEvents);
  console.log(`recorded ${child.receivedEvents.length} events for ${site}`);
}
stop.abort();
await transport.close();
