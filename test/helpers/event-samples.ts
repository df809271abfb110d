/**
 * Sample decoded attributes of a child's response and of a question, from Octue's golden events (the same uuids and
 * services), shared by the event-validation tests.
 */
export const CHILD_ATTRIBUTES = {
  uuid: 'a9de11b1-e88f-43fa-b3a4-40a590c3443f',
  datetime: '2024-04-11T10:46:48.236064+00:00',
  question_uuid: 'd45c7e99-d610-413b-8130-dd6eef46dda6',
  originator_question_uuid: 'd45c7e99-d610-413b-8130-dd6eef46dda6',
  parent: 'octue/another-service:3.2.1',
  originator: 'octue/another-service:3.2.1',
  sender: 'octue/test-service:1.0.0',
  sender_type: 'CHILD',
  sender_sdk_version: '0.69.0',
  recipient: 'octue/another-service:3.2.1',
  retry_count: 0,
};

/** The question those responses answer (sender and recipient swapped, question-only attributes added). */
export const QUESTION_ATTRIBUTES = {
  ...CHILD_ATTRIBUTES,
  sender: 'octue/another-service:3.2.1',
  recipient: 'octue/test-service:1.0.0',
  sender_type: 'PARENT',
  forward_logs: true,
  save_diagnostics: 'SAVE_DIAGNOSTICS_ON_CRASH',
};
