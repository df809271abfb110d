import { Dataset, Manifest } from '../core/resources';
import type { Analysis, AnalysisExtension, ChildAnswer, ChildQuestion, EventRoute, RunParams } from '../service';
import { AnalysisFinished, FederationRoleError, InvalidFederationMessage, InvalidInputException } from '../errors';
import { decodeContext, encodeContext } from './context';
import type { FederationContext } from './context';
import { Federation } from './federation';
import { ANALYSIS_ID_PATTERN } from './ids';
import { resolveFederationOptions } from './options';
import type { FederationOptions, ResolvedFederationOptions } from './options';
import { federationRoute } from './route';
import type { Participant } from './types';

/** Options of `analysis.startFederation`. */
export interface StartFederationOptions {
  /** The nodes: keys of the aggregator twine's children, each asked one question in parallel. */
  readonly nodes: readonly string[];
  /** The analysis id; default the originator question uuid. */
  readonly analysisId?: string;
  /** Each node's question (input values, manifest, …) by child key; the federation context is added to it. */
  readonly questions?: Readonly<Record<string, ChildQuestion>>;
}

/** How one node's question ended. */
export type NodeOutcome =
  | { readonly status: 'answered'; readonly answer: ChildAnswer }
  | { readonly status: 'failed'; readonly error: unknown };

/** The aggregator's view: a {@link Federation} that also follows the nodes' questions. */
export class AggregatorFederation extends Federation {
  private readonly outcomes = new Map<string, Promise<NodeOutcome>>();

  /**
   * Follows a node's question: if it fails (exception event, lost heartbeat), waits on the node end at once.
   * @param nodeId - The node.
   * @param asking - Its question's answer.
   */
  followNode(nodeId: string, asking: Promise<ChildAnswer>): void {
    const outcome = asking.then(
      (answer): NodeOutcome => ({ status: 'answered', answer }),
      (error: unknown): NodeOutcome => {
        this.status.fail(nodeId, error);
        return { status: 'failed', error };
      },
    );
    this.outcomes.set(nodeId, outcome);
  }

  /** @returns Every node's outcome, once all their questions have ended. */
  async waitForNodes(): Promise<Record<string, NodeOutcome>> {
    const entries = await Promise.all(
      [...this.outcomes].map(async ([nodeId, outcome]) => [nodeId, await outcome] as const),
    );
    return Object.fromEntries(entries);
  }

  /** @returns The context attributes every node's question carries. */
  questionAttributes(): Record<string, string> {
    return this.contextAttributes();
  }
}

/** An analysis of a service with federation enabled (what the app receives). */
export type FederatedAnalysis = Analysis & {
  /** This participant's federation: set on a node whose question carries a context, and by `startFederation`. */
  federation: Federation | undefined;
  /**
   * Starts a federated analysis with this service as aggregator: asks each node (a child key) one question carrying
   * the federation context, in parallel, and returns the aggregator's federation (also `analysis.federation`).
   * @throws FederationRoleError when this analysis already takes part in a federation.
   */
  startFederation(options: StartFederationOptions): Promise<AggregatorFederation>;
};

function hasData(analysis: Analysis): boolean {
  return Object.keys(analysis.inputManifest?.datasets ?? {}).length > 0;
}

async function startFederation(
  analysis: FederatedAnalysis,
  params: RunParams,
  options: ResolvedFederationOptions,
  start: StartFederationOptions,
): Promise<AggregatorFederation> {
  if (analysis.federation !== undefined) {
    throw new FederationRoleError('This analysis already takes part in a federation.', analysis.federation.getRole());
  }
  if (!Array.isArray(start.nodes) || start.nodes.length === 0) {
    throw new InvalidInputException('startFederation needs at least one node (a child key).');
  }
  const children = start.nodes.map((key) => {
    const child = Object.hasOwn(analysis.children, key) ? analysis.children[key] : undefined;
    if (child === undefined) {
      throw new InvalidInputException(
        `'${key}' is not one of this service's children: ${Object.keys(analysis.children)}.`,
      );
    }
    return { key, child };
  });
  const nodes: Participant[] = children.map(({ child }) => ({ nodeId: child.id, nodeType: 'default' }));
  const analysisId = start.analysisId ?? (params.originatorQuestionUuid || analysis.id);
  if (!ANALYSIS_ID_PATTERN.test(analysisId)) throw new InvalidInputException(`'${analysisId}' is not an analysis id.`);
  const context: FederationContext = {
    analysisId,
    projectId: options.projectId,
    participants: [{ nodeId: options.serviceId, nodeType: 'aggregator' }, ...nodes],
  };
  encodeContext(context); // Too many participants fail here, before anything is written or asked.
  const federation = await AggregatorFederation.join({
    options,
    context,
    role: 'aggregator',
    inputManifest: analysis.inputManifest,
    // The final results become a dataset of the aggregator's output manifest (validated against its twine).
    onFinalResults: async (directory) => {
      const dataset = await Dataset.fromCloud(directory, { store: options.objectStore });
      const current = analysis.outputManifest;
      analysis.outputManifest = new Manifest({
        id: current?.id,
        name: current?.name,
        datasets: Object.assign({}, current?.datasets, { [options.finalResultsDataset]: dataset }),
      });
    },
  });
  analysis.federation = federation;
  const extensionAttributes = federation.questionAttributes();
  for (const { key, child } of children) {
    const question = Object.assign({}, start.questions?.[key], { extensionAttributes });
    federation.followNode(child.id, child.ask(question));
  }
  return federation;
}

/** The two pieces a service needs for federation, made from one set of options. */
export interface FederationRuntime {
  /** Give it to the Runner (`analysisExtensions`): sets `analysis.federation` and `analysis.startFederation`. */
  readonly analysisExtension: AnalysisExtension;
  /** Give it to the Service (`eventRoutes`): stores received messages and acknowledgements in the mailbox. */
  readonly eventRoute: EventRoute;
}

/**
 * Enables federation for a service.
 * @param options - The service's federation options (declared once, see {@link FederationOptions}).
 * @returns The Runner extension and the Service route.
 * @throws InvalidInputException or InvalidServiceID for bad options.
 */
export function createFederationRuntime(options: FederationOptions): FederationRuntime {
  const resolved = resolveFederationOptions(options);
  const analysisExtension: AnalysisExtension = async (analysis, params) => {
    const federated = analysis as FederatedAnalysis;
    federated.federation = undefined;
    federated.startFederation = (start) => startFederation(federated, params, resolved, start);
    const context = decodeContext(params.extensionAttributes ?? {});
    if (context !== undefined) {
      const self = context.participants.find((participant) => participant.nodeId === resolved.serviceId);
      if (self?.nodeType !== 'default') {
        throw new InvalidFederationMessage(`'${resolved.serviceId}' is not a node of the analysis it was asked into.`);
      }
      const role = hasData(analysis) ? 'default' : 'proxy';
      federated.federation = await Federation.join({
        options: resolved,
        context,
        role,
        inputManifest: analysis.inputManifest,
      });
    }
    return {
      release: async () => {
        await federated.federation?.close();
      },
      endsNormally: (error) => error instanceof AnalysisFinished,
    };
  };
  return { analysisExtension, eventRoute: federationRoute(resolved) };
}
