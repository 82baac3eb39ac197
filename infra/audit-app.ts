import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stackPropsFromContext } from './context.js';
import { EksCertAuditStack } from './eks-cert-audit-stack.js';

/** The stack id, and its name unless `-c stackName=…` says otherwise. */
export const DEFAULT_STACK_NAME = 'EksCertAudit';

/**
 * Builds the CDK app: one {@link EksCertAuditStack} configured from `-c`
 * context, checked by cdk-nag's AwsSolutions pack at synthesis.
 * `infra/app.ts` calls this; tests pass `context` (and `outdir`) through
 * `props`.
 */
export function createAuditApp(props: AppProps = {}): {
  readonly app: App;
  readonly stack: EksCertAuditStack;
} {
  const app = new App(props);
  const stackProps = stackPropsFromContext((key) =>
    app.node.tryGetContext(key),
  );
  const stack = new EksCertAuditStack(app, DEFAULT_STACK_NAME, stackProps);
  // cdk-nag 3 is a validation plugin: any unacknowledged finding stops
  // synthesis with a report.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
  );
  return { app, stack };
}
