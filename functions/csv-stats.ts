// The csv-stats service as a Cloud Run function: environment → settings → Pub/Sub and Cloud Storage adapters →
// Service → CloudEvent handler. The service is built on the first event (the cold start) and reused afterwards.
import { CSV_STATS_TWINE, run } from '../apps/csv-stats';
import { functionHandlers, functionLogger } from '../src/functions';
import type { DeliveryOrigin, FunctionServiceIdentity } from '../src/functions';
import { serviceFromConfiguration } from '../src/service';
import type { Service } from '../src/service';
import { googleAdapters } from './google-adapters';

/** The SRUID csv-stats answers as unless `OCTUE_SERVICE_NAMESPACE`/`_NAME`/`_REVISION_TAG` say otherwise. */
export const CSV_STATS_IDENTITY: FunctionServiceIdentity = {
  namespace: 'skein-examples',
  name: 'csv-stats',
  revisionTag: '0.1.0',
};

const logger = functionLogger();

function buildCsvStats(origin: DeliveryOrigin): Service {
  const { settings, transport, objectStore } = googleAdapters(CSV_STATS_IDENTITY, origin, logger);
  return serviceFromConfiguration({
    configuration: settings.configuration,
    serviceId: settings.serviceId,
    transport,
    objectStore,
    logger,
    runnerOptions: { app: run, twine: CSV_STATS_TWINE },
  });
}

/** The csv-stats function (`--signature-type=cloudevent`). */
export const csvStats = functionHandlers({ service: buildCsvStats, logger }).cloudEvent;
