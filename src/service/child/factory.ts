import type { LocationAllowances } from '../location-allowances';
import type { ChildFactory } from '../types';
import { Child } from './child';
import type { ChildOptions } from './types';

/** The ports and settings every child of an analysis shares (everything of {@link ChildOptions} but the ids). */
export type ChildPorts = Omit<ChildOptions, 'id' | 'parentSruid'>;

/**
 * Makes the child factory a Runner uses for its analyses' children: each child record becomes a {@link Child} that
 * asks through the given transport, as the asking service (`context.serviceId`, as Octue's Runner passes its own
 * SRUID as the child's `internal_sruid`; `local/local:local` when the Runner has none). The output manifests of the
 * answers are held to the Runner's allowances (`context`), unless the ports set their own.
 * @param ports - The transport, object store, logger, clock and error classes to use.
 * @returns The factory.
 */
export function childFactory(ports: ChildPorts): ChildFactory {
  return (record, context) =>
    new Child(
      Object.assign({}, ports, {
        id: record.id,
        ...(context.serviceId === undefined ? {} : { parentSruid: context.serviceId }),
        ...answerAllowances(ports, context),
      }),
    );
}

/**
 * What a child's answers may name: the allowances the ports set, else those of the asking Runner.
 * @param ports - A child's ports (their allowances win when set).
 * @param context - What the Runner tells the factory.
 * @returns The allowances to give the Child.
 */
export function answerAllowances(ports: LocationAllowances, context: LocationAllowances): LocationAllowances {
  return {
    allowedLocalRoots: ports.allowedLocalRoots ?? context.allowedLocalRoots,
    allowedUrlHosts: ports.allowedUrlHosts ?? context.allowedUrlHosts,
    allowedBuckets: ports.allowedBuckets ?? context.allowedBuckets,
  };
}
