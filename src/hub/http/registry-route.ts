import type { Router } from 'express';

import { HubEntityNotFound, HubRequestError } from '../../errors';
import { FORBIDDEN_QUERY_TEXT } from '../api/query';
import type { HubRegistryStore } from '../store/hub-store';

/**
 * Adds Octue's service-registry route, `GET /registry/:namespace/:name[?revision_tag=<tag>]`: 200
 * `{"revision_tag": "<tag>"}` when the service has that revision (or, without a tag, a default revision), else 404,
 * which sends Octue's clients on to their next registry. The body is Octue's, not a FLAME envelope.
 * @param router - The router to add it to.
 * @param store - The Hub's registry store.
 */
export function registryRoute(router: Router, store: HubRegistryStore): void {
  router.get('/registry/:namespace/:name', async (req, res) => {
    const at = req.originalUrl.indexOf('?');
    const params = new URLSearchParams(at === -1 ? '' : req.originalUrl.slice(at + 1));
    let revisionTag: string | undefined;
    for (const [key, value] of params) {
      if (key !== 'revision_tag' || revisionTag !== undefined || FORBIDDEN_QUERY_TEXT.test(value)) {
        throw new HubRequestError('A registry lookup takes one revision_tag parameter at most.', {
          statusCode: 400,
          code: 'keyNotAllowed',
          issues: [{ path: [key], code: 'keyNotAllowed', message: 'only revision_tag, once, is allowed' }],
        });
      }
      revisionTag = value;
    }
    const namespace = String(req.params.namespace);
    const name = String(req.params.name);
    const found = await store.resolveServiceRevision(namespace, name, revisionTag);
    const serviceId = `${namespace}/${name}${revisionTag === undefined ? '' : `:${revisionTag}`}`;
    if (found === undefined) throw new HubEntityNotFound('registry', serviceId);
    res.json({ revision_tag: found });
  });
}
