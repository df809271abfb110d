import { z } from 'zod';

import { validateRevisionTag } from '../../core/service-id';

// The Hub's records and request bodies, declared once: the REST API validates bodies with these schemas, its
// TypeScript types come from them, and a client can check responses with them. JSON is camelCase with UUID ids and
// ISO 8601 `createdAt`/`updatedAt` (the FLAME Hub's conventions).

const name = z.string().trim().min(1).max(128);
const text = z.string().max(4096);
const timestamp = z.iso.datetime({ offset: true });
const sruid = z.string().max(512);
const revisionTag = z.string().refine((tag) => {
  try {
    validateRevisionTag(tag);
    return true;
  } catch {
    return false;
  }
}, 'must be an Octue revision tag (letters, digits and _ joined by - or ., at most 128 characters)');

/** A realm: an Octue namespace, e.g. `acme`. */
export const realmSchema = z.strictObject({
  id: z.uuid(),
  name: name.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower kebab case, as Octue namespaces are'),
  displayName: z.string().max(256).nullable(),
  description: text.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A node: a service (`<realm>/<name>`). */
export const nodeSchema = z.strictObject({
  id: z.uuid(),
  name: name.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower kebab case, as Octue service names are'),
  realmId: z.uuid(),
  displayName: z.string().max(256).nullable(),
  hidden: z.boolean(),
  /** The revision served when a question names no tag (one of the node's revisions). */
  defaultRevisionTag: revisionTag.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A node revision: one revision (tag) of a service. */
export const nodeRevisionSchema = z.strictObject({
  id: z.uuid(),
  nodeId: z.uuid(),
  tag: revisionTag,
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A project: services working together. */
export const projectSchema = z.strictObject({
  id: z.uuid(),
  name,
  description: text.nullable(),
  realmId: z.uuid(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A project node: a service taking part in a project. */
export const projectNodeSchema = z.strictObject({
  id: z.uuid(),
  projectId: z.uuid(),
  nodeId: z.uuid(),
  approvalStatus: z.enum(['pending', 'approved', 'rejected']).nullable(),
  comment: text.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const status = z.enum(['started', 'running', 'executed', 'failed']);

/** An analysis: a question tree, keyed by its originator question's uuid; derived from events. */
export const analysisSchema = z.strictObject({
  id: z.string(),
  originator: sruid,
  name: name.nullable(),
  projectId: z.uuid().nullable(),
  status,
  progress: z.number().int().min(0).max(100),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** An analysis node: one question of a tree, keyed by the question's uuid; derived from events. */
export const analysisNodeSchema = z.strictObject({
  id: z.string(),
  analysisId: z.string(),
  parentQuestionUuid: z.string().nullable(),
  service: sruid,
  parent: sruid,
  status,
  retryCount: z.number().int().min(0),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** An analysis log: a log record or monitor message of a question, keyed by the event's uuid; derived from events. */
export const analysisLogSchema = z.strictObject({
  id: z.string(),
  analysisId: z.string(),
  analysisNodeId: z.string(),
  kind: z.enum(['log_record', 'monitor_message']),
  level: z.string().nullable(),
  message: z.string().nullable(),
  data: z.unknown(),
  sender: sruid,
  createdAt: timestamp,
});

/** An analysis bucket: a dataset of a question's output manifest, where it was written; derived from results. */
export const analysisBucketSchema = z.strictObject({
  id: z.uuid(),
  analysisId: z.string(),
  analysisNodeId: z.string(),
  name: z.string(),
  location: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** An analysis-bucket file: a file a result dataset lists. */
export const analysisBucketFileSchema = z.strictObject({
  id: z.uuid(),
  bucketId: z.uuid(),
  path: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A service event with Octue's event-store columns (its `id` is the event's uuid). */
export const eventSchema = z.strictObject({
  id: z.string(),
  datetime: timestamp,
  kind: z.string(),
  event: z.record(z.string(), z.unknown()),
  otherAttributes: z.record(z.string(), z.string()),
  originator: sruid,
  parent: sruid,
  sender: sruid,
  senderType: z.enum(['PARENT', 'CHILD']),
  senderSdkVersion: z.string(),
  recipient: sruid,
  originatorQuestionUuid: z.string(),
  parentQuestionUuid: z.string().nullable(),
  questionUuid: z.string(),
  backend: z.string(),
  backendMetadata: z.record(z.string(), z.unknown()),
});

/** Body of `POST /realms`. */
export const realmCreateSchema = realmSchema.pick({ name: true, displayName: true, description: true }).partial({
  displayName: true,
  description: true,
});
/** Body of `POST /nodes`. */
export const nodeCreateSchema = nodeSchema
  .pick({ name: true, realmId: true, displayName: true, hidden: true })
  .partial({ displayName: true, hidden: true });
/** Body of `POST /node-revisions`. */
export const nodeRevisionCreateSchema = nodeRevisionSchema.pick({ nodeId: true, tag: true });
/** Body of `POST /projects`. */
export const projectCreateSchema = projectSchema
  .pick({ name: true, description: true, realmId: true })
  .partial({ description: true });
/** Body of `POST /project-nodes`. */
export const projectNodeCreateSchema = projectNodeSchema
  .pick({ projectId: true, nodeId: true, approvalStatus: true, comment: true })
  .partial({ approvalStatus: true, comment: true });
/** Body of `POST /analyses/:id` (analyses are made from events; only their name and project are set by hand). */
export const analysisUpdateSchema = analysisSchema.pick({ name: true, projectId: true }).partial();

/** Body of `POST /realms/:id`. */
export const realmUpdateSchema = realmCreateSchema.partial();
/** Body of `POST /nodes/:id` (a node stays in its realm; its default revision must be one of its revisions). */
export const nodeUpdateSchema = nodeCreateSchema
  .omit({ realmId: true })
  .extend({ defaultRevisionTag: nodeSchema.shape.defaultRevisionTag })
  .partial();
/** Body of `POST /projects/:id`. */
export const projectUpdateSchema = projectCreateSchema.omit({ realmId: true }).partial();
/** Body of `POST /project-nodes/:id`. */
export const projectNodeUpdateSchema = projectNodeCreateSchema.pick({ approvalStatus: true, comment: true }).partial();

/** A realm record. */
export type Realm = z.infer<typeof realmSchema>;
/** A node record. */
export type HubNode = z.infer<typeof nodeSchema>;
/** A node-revision record. */
export type NodeRevision = z.infer<typeof nodeRevisionSchema>;
/** A project record. */
export type Project = z.infer<typeof projectSchema>;
/** A project-node record. */
export type ProjectNode = z.infer<typeof projectNodeSchema>;
/** An analysis record. */
export type Analysis = z.infer<typeof analysisSchema>;
/** An analysis-node record. */
export type AnalysisNode = z.infer<typeof analysisNodeSchema>;
/** An analysis-log record. */
export type AnalysisLog = z.infer<typeof analysisLogSchema>;
/** An analysis-bucket record. */
export type AnalysisBucket = z.infer<typeof analysisBucketSchema>;
/** An analysis-bucket-file record. */
export type AnalysisBucketFile = z.infer<typeof analysisBucketFileSchema>;
/** An event record. */
export type HubEvent = z.infer<typeof eventSchema>;
