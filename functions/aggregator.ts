// The aggregator service as a Cloud Run function: environment → settings → Pub/Sub and Cloud Storage adapters →
// Service (whose csv-stats children are asked over the same topic) → CloudEvent handler, built on the first event.
import { AGGREGATOR_TWINE, aggregatorChildren, run } from '../apps/aggregator';
import { CSV_STATS_ERROR_CLASSES } from '../apps/csv-stats';
import { formatServiceId } from '../src/core/service-id';
import { functionHandlers, functionLogger } from '../src/functions';
import type { FunctionServiceIdentity } from '../src/functions';
import { serviceFromConfiguration } from '../src/service';
import type { Service } from '../src/service';
import { childFactory } from '../src/service/child';
import { CSV_STATS_IDENTITY } from './csv-stats';
import { googleServiceBuilder } from './google-adapters';
import type { FunctionAdapters } from './google-adapters';

/** The SRUID the aggregator answers as unless `OCTUE_SERVICE_*` variables say otherwise. */
export const AGGREGATOR_IDENTITY: FunctionServiceIdentity = { ...CSV_STATS_IDENTITY, name: 'aggregator' };

const logger = functionLogger();

function buildAggregator({ settings, transport, objectStore, federation }: FunctionAdapters): Service {
  // The deployed csv-stats unless SKEIN_CHILDREN names other children.
  const children =
    settings.configuration.children ??
    aggregatorChildren({ csvStatsId: formatServiceId(CSV_STATS_IDENTITY), projectId: settings.projectId });
  return serviceFromConfiguration({
    configuration: settings.configuration,
    serviceId: settings.serviceId,
    transport,
    objectStore,
    logger,
    childFactory: childFactory({ transport, objectStore, logger, errorClasses: CSV_STATS_ERROR_CLASSES }),
    runnerOptions: { app: run, twine: AGGREGATOR_TWINE, children, analysisExtensions: federation.analysisExtensions },
    eventRoutes: federation.eventRoutes,
  });
}

/** The aggregator function (`--signature-type=cloudevent`). */
export const aggregator = functionHandlers({
  service: googleServiceBuilder(AGGREGATOR_IDENTITY, logger, buildAggregator),
  logger,
}).cloudEvent;
