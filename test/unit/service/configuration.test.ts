import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadServiceConfiguration } from '../../../src/core/config';
import type { ServiceConfiguration } from '../../../src/core/config';
import { serviceFromConfiguration, serviceIdFromConfiguration } from '../../../src/service';
import { MemoryNetwork, questionMessage } from './helpers';

const FUNCTION_APP = join(__dirname, '..', '..', 'fixtures', 'apps', 'function-app');

let directory: string;
let network: MemoryNetwork;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'skein-configured-'));
  network = await new MemoryNetwork().start();
});

afterEach(async () => {
  await network.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('Function: serviceIdFromConfiguration', () => {
  it('uses the configured revision tag, or generates a two-word slug', () => {
    const base = { namespace: 'acme', name: 'child' } as ServiceConfiguration;

    expect(serviceIdFromConfiguration({ ...base, revisionTag: '2.1.0' })).toBe('acme/child:2.1.0');
    expect(serviceIdFromConfiguration({ ...base, revisionTag: undefined })).toMatch(/^acme\/child:[a-z]+-[a-z]+$/);
  });
});

describe('Function: serviceFromConfiguration', () => {
  it('wires a service from octue.yaml that answers with the configured app', async () => {
    // Prepare
    writeFileSync(join(directory, 'twine.json'), JSON.stringify({ output_values_schema: { required: ['width'] } }));
    writeFileSync(
      join(directory, 'octue.yaml'),
      `services:\n  - namespace: acme\n    name: child\n    app_source_path: ${FUNCTION_APP}\n`,
    );
    const { configuration } = loadServiceConfiguration({
      cwd: directory,
      env: { OCTUE_SERVICE_REVISION_TAG: '2.1.0', SKEIN_HEARTBEAT_INTERVAL_SECONDS: '30' },
    });

    // Act
    const service = serviceFromConfiguration({ configuration, transport: network.transport });
    const outcome = await service.answer(questionMessage());

    // Assess
    expect(service.id).toBe('acme/child:2.1.0');
    expect(outcome).toMatchObject({ status: 'answered', result: { output_values: { width: 3 } } });
  });
});
