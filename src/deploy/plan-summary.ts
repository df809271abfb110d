import type { DeployPlan, PlanStep } from './plan-types';

/**
 * Writes a plan as text a person can review before deploying: what will be deployed where, then every request of
 * `serverless deploy` and `serverless remove` in order, each with when it is sent.
 * @param plan - The plan.
 * @returns The summary, ending with a newline.
 */
export function formatPlanSummary(plan: DeployPlan): string {
  const lines = [
    `Skein deployment plan (${plan.format})`,
    `service ${plan.service}, stage ${plan.stage} -> project ${plan.project}, region ${plan.region}, runtime ${plan.runtime}`,
    `source: ${plan.source.archive} (${plan.source.sizeBytes} bytes, ${plan.source.files.length} files, sha256 ` +
      `${plan.source.sha256})`,
    `services topic: ${plan.servicesTopic.name}${plan.servicesTopic.owned ? ' (owned: removed by remove)' : ''}`,
    ...plan.buckets.map(
      (b) => `${b.role} bucket: gs://${b.name}${b.owned ? ' (owned: removed by remove when empty)' : ''}`,
    ),
    ...plan.services.map(
      (s) =>
        `service ${s.key}: ${s.sruid} -> ${s.functionName} via ${s.subscriptionName}, federation mailboxes in ` +
        s.federationMailboxRoot,
    ),
    '',
    'serverless deploy makes these requests, in order:',
    ...plan.deploy.flatMap(formatStep),
    '',
    'serverless remove makes these requests, in order:',
    ...plan.remove.flatMap(formatStep),
    '',
    'Notes:',
    ...plan.notes.map((note) => `- ${note}`),
  ];
  return `${lines.join('\n')}\n`;
}

function formatStep(step: PlanStep): string[] {
  const width = Math.max(...step.requests.map((r) => r.rpc.length));
  return [
    `${String(step.id).padStart(2)}. ${describeStep(step)}`,
    ...step.requests.map((r) => `      ${r.rpc.padEnd(width)}  ${r.http}${r.when === 'always' ? '' : `  [${r.when}]`}`),
  ];
}

function describeStep(step: PlanStep): string {
  switch (step.action) {
    case 'ensure-bucket':
      return `${step.role} bucket gs://${step.resource} in ${step.location} (created if absent)`;
    case 'ensure-topic':
      return `services topic ${step.resource} (created if absent)`;
    case 'upload-source':
      return `upload the source zip for ${step.function}`;
    case 'upsert-function': {
      const { buildConfig, serviceConfig } = step.spec;
      return (
        `function ${step.functionId} (${step.function}): entry point ${buildConfig.entryPoint}, ` +
        `${buildConfig.runtime}, ${serviceConfig.availableMemory}, timeout ${serviceConfig.timeoutSeconds} s, env ` +
        `${Object.keys(serviceConfig.environmentVariables).join(', ')} (created, or updated in place)`
      );
    }
    case 'upsert-subscription':
      return (
        `push subscription ${step.resource} on ${step.topic}, filter ` +
        `${Object.entries(step.filter)
          .map(([k, v]) => `${k}=${v}`)
          .join(' AND ')}, pushing to <${step.function} URL>${step.pushPath} with an OIDC token for ` +
        `${step.pushServiceAccount ?? `${step.function}'s runtime service account`}`
      );
    case 'delete-subscription':
    case 'delete-function':
    case 'delete-topic':
    case 'delete-bucket':
      return `${step.action.replace('delete-', 'delete ')} ${step.resource} (a missing one is skipped)`;
  }
}
