import { InvalidServiceID } from '../../errors';

/**
 * Converts a service id or SRUID to the form used in Pub/Sub topic and subscription names: `/` and `:` become `.`,
 * and periods inside the revision tag become hyphens, e.g. `octue/my-service:0.1.7` → `octue.my-service.0-1-7`.
 * Like Octue, it does not validate the id, so partial ids (`my-service:3.1.9`) convert too.
 * @param serviceId - A service id or SRUID.
 * @returns The Pub/Sub form.
 */
export function toPubSubForm(serviceId: string): string {
  const colon = serviceId.indexOf(':');
  const id = colon === -1 ? serviceId : serviceId.slice(0, colon);
  const revisionTag = colon === -1 ? '' : serviceId.slice(colon + 1);
  const converted = id.replace(/\//g, '.');
  return revisionTag === '' ? converted : `${converted}.${revisionTag.replace(/\./g, '-')}`;
}

/**
 * Recovers an SRUID from a Pub/Sub topic or subscription name made with {@link toPubSubForm} (anything after the
 * third dot-separated part, such as `.answers.<uuid>`, is ignored). The conversion is lossy: every hyphen in the
 * revision tag comes back as a period, so `1-9-4` and `1.9.4` cannot be told apart.
 * @param name - e.g. `octue.example-service.0-3-2`.
 * @returns e.g. `octue/example-service:0.3.2`.
 * @throws InvalidServiceID when the name has fewer than three dot-separated parts.
 */
export function sruidFromPubSubName(name: string): string {
  const [namespace, serviceName, revisionTag] = name.split('.');
  if (namespace === undefined || serviceName === undefined || revisionTag === undefined) {
    throw new InvalidServiceID(
      `'${name}' is not the Pub/Sub form of an SRUID: expected <namespace>.<name>.<revision-tag>[.…].`,
      { serviceId: name },
    );
  }
  return `${namespace}/${serviceName}:${revisionTag.replace(/-/g, '.')}`;
}
