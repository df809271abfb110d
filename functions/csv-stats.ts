// The csv-stats service as a Cloud Run function: environment → settings → Pub/Sub and Cloud Storage adapters →
// Service → CloudEvent handler. The service is built on the first event addressed to it (the cold start) and reused.
import { CSV_STATS_TWINE, run } from '../apps/csv-stats';
import { functionHandlers, functionLogger } from '../src/functions';
import type { FunctionServiceIdentity } from '../src/functions';
import { serviceFromConfiguration } from '../src/service';
import type { Service } from '../src/service';
import { googleServiceBuilder } from './google-adapters';
import type { FunctionAdapters } from './google-adapters';

/** The SRUID csv-stats answers as unless `OCTUE_SERVICE_NAMESPACE`/`_NAME`/`_REVISION_TAG` say otherwise. */
export const CSV_STATS_IDENTITY: FunctionServiceIdentity = {
  namespace: 'skein-examples',
  name: 'csv-stats',
  revisionTag: '0.1.0',
};

const logger = functionLogger();

function buildCsvStats({ settings, transport, objectStore, federation }: FunctionAdapters): Service {
  return serviceFromConfiguration({
    configuration: settings.configuration,
    serviceId: settings.serviceId,
    transport,
    objectStore,
    logger,
    runnerOptions: { app: run, twine: CSV_STATS_TWINE, analysisExtensions: federation.analysisExtensions },
    eventRoutes: federation.eventRoutes,
  });
}

/** The csv-stats function (`--signature-type=cloudevent`). */
export const csvStats = functionHandlers({
  service: googleServiceBuilder(CSV_STATS_IDENTITY, logger, buildCsvStats),
  logger,
}).cloudEvent;
