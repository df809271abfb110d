import type { ChildFactory } from '../types';
import { Child } from './child';
import type { ChildOptions } from './types';

/** The ports and settings every child of an analysis shares (everything of {@link ChildOptions} but the ids). */
export type ChildPorts = Omit<ChildOptions, 'id' | 'parentSruid'>;

/**
 * Makes the child factory a Runner uses for its analyses' children: each child record becomes a {@link Child} that
 * asks through the given transport, as the asking service (`context.serviceId`, as Octue's Runner passes its own
 * SRUID as the child's `internal_sruid`; `local/local:local` when the Runner has none).
 * @param ports - The transport, object store, logger, clock and error classes to use.
 * @returns The factory.
 */
export function childFactory(ports: ChildPorts): ChildFactory {
  return (record, context) =>
    new Child(
      Object.assign({}, ports, {
        id: record.id,
        ...(context.serviceId === undefined ? {} : { parentSruid: context.serviceId }),
      }),
    );
}
