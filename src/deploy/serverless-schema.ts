/** The provider name in serverless.yml (`provider.name: google`). */
export const PROVIDER_NAME = 'google';

// Values that Serverless variables may deliver as strings or numbers; Skein's own reader checks them and names the
// setting in its error, so the schema only has to let them through.
const ANY = {} as const;
const STRING = { type: 'string' } as const;
const MAPPING = { type: 'object' } as const;

/**
 * The settings the provider adds to Serverless's configuration schema, so `configValidationMode: error` accepts
 * exactly these keys (and rejects misspelt ones). Values are checked by `readDeploySettings`, which reports the
 * setting's path; required keys are left to it too, so a missing project or region gets Skein's typed error.
 */
export const PROVIDER_SCHEMA = {
  provider: {
    properties: {
      project: STRING,
      region: STRING,
      runtime: STRING,
      stage: STRING,
      memorySize: ANY,
      timeout: ANY,
      environment: MAPPING,
      labels: MAPPING,
      serviceAccount: STRING,
      minInstances: ANY,
      maxInstances: ANY,
    },
  },
  function: {
    properties: {
      handler: STRING,
      sruid: STRING,
      twine: STRING,
      description: STRING,
      memorySize: ANY,
      timeout: ANY,
      environment: MAPPING,
      serviceAccount: STRING,
      minInstances: ANY,
      maxInstances: ANY,
    },
  },
};
