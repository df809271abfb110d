import type { ChildRecord } from '../../src/core/twine';

/** The example sites, each a node (and a child key of the aggregator). */
export const FEDERATED_SITES = ['north-ridge', 'harbour', 'valley-farm'] as const;

/** The aggregator's twine: a child and an input dataset per site, and the final results as an output dataset. */
export const FEDERATED_AGGREGATOR_TWINE: Readonly<Record<string, unknown>> = {
  children: FEDERATED_SITES.map((key) => ({ key, purpose: `The node holding the ${key} data.` })),
  configuration_values_schema: {
    type: 'object',
    properties: { allow_local_files: { type: 'boolean' } },
  },
  input_values_schema: {
    type: 'object',
    properties: {
      column: { type: 'string' },
      k: { type: 'integer', minimum: 1, maximum: 20 },
      rounds: { type: 'integer', minimum: 1, maximum: 100 },
      epsilon: { type: 'number', exclusiveMinimum: 0 },
    },
  },
  input_manifest: { datasets: Object.fromEntries(FEDERATED_SITES.map((site) => [site, {}])) },
  output_values_schema: { type: 'object' },
  monitor_message_schema: { type: 'object' },
  output_manifest: { datasets: { final_results: { purpose: 'The centroids and the noisy pooled mean.' } } },
};

/** A node's twine: its one dataset of weather CSV files. */
export const FEDERATED_NODE_TWINE: Readonly<Record<string, unknown>> = {
  input_manifest: { datasets: { weather: {} } },
};

/**
 * The aggregator's children: one node per site.
 * @param nodeId - The SRUID of a site's node.
 * @param projectId - Their project.
 * @returns The children records.
 */
export function federatedChildren(nodeId: (site: string) => string, projectId: string): ChildRecord[] {
  return FEDERATED_SITES.map((key) => ({
    key,
    id: nodeId(key),
    backend: { name: 'GCPPubSubBackend', project_id: projectId },
  }));
}
