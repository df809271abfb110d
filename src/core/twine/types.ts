import type { ValuesStrand } from './strands';

/** A JSON Schema object as written in a twine. */
export type JsonSchemaObject = Readonly<Record<string, unknown>>;

/** A values strand in `twine.json` (`input_values_schema`, …): a JSON Schema, optional when `optional` is `true`. */
export type ValuesSchemaStrand = JsonSchemaObject & { readonly optional?: boolean };

/** What a twine says about one dataset of a manifest strand. */
export interface DatasetSpecification {
  /** What the dataset holds. */
  readonly purpose?: string;
  /** `true` when the manifest may leave the dataset out. */
  readonly optional?: boolean;
  /** A JSON Schema every file's tags must satisfy (configuration and input manifests only). */
  readonly file_tags_template?: JsonSchemaObject;
}

/** A manifest strand in `twine.json` (`input_manifest`, …). */
export interface ManifestStrandSpecification {
  /** `true` when the whole manifest may be left out. */
  readonly optional?: boolean;
  /** The datasets the manifest must (or may) hold, by key. */
  readonly datasets: Readonly<Record<string, DatasetSpecification>>;
}

/** One entry of a twine's `credentials` strand. */
export interface CredentialSpecification {
  /** The environment variable holding the secret, in upper snake case. */
  readonly name: string;
  /** What the credential is for. */
  readonly purpose?: string;
}

/** One entry of a twine's `children` strand; other properties (such as `notes`) are kept. */
export interface ChildSpecification {
  /** The key the service uses to ask this group of children. */
  readonly key: string;
  /** What the children are for. */
  readonly purpose?: string;
  /** A filter for choosing suitable children. */
  readonly filters?: string;
  readonly [extra: string]: unknown;
}

/** The strands of a twine, by their `twine.json` keys. */
export type TwineStrands = {
  readonly [K in `${ValuesStrand}_schema`]?: ValuesSchemaStrand;
} & {
  readonly configuration_manifest?: ManifestStrandSpecification;
  readonly input_manifest?: ManifestStrandSpecification;
  readonly output_manifest?: ManifestStrandSpecification;
  readonly credentials?: readonly CredentialSpecification[];
  readonly children?: readonly ChildSpecification[];
};

/** A child service as given to a service at run time (children 0.2.0 shape); extra properties are kept. */
export interface ChildRecord {
  /** The key of the twine's children strand this child serves. */
  readonly key: string;
  /** The child's service revision id, e.g. `acme/elevation:1.2.0`. */
  readonly id: string;
  /** Where the child runs. */
  readonly backend: { readonly name: 'GCPPubSubBackend'; readonly project_id: string };
  readonly [extra: string]: unknown;
}

/** An environment to read credentials from, such as `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;
