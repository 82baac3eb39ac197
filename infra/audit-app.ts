import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AuditError } from '../lambda/engine/errors.js';
import { misspeltContextKeys, stackPropsFromContext } from './context.js';
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
  const typos = misspeltContextKeys(Object.keys(app.node.getAllContext()));
  if (typos.length > 0) {
    throw new AuditError(
      'CONFIG_INVALID',
      typos
        .map(
          (t) => `unknown context key ${t.key}: did you mean ${t.suggestion}?`,
        )
        .join('; '),
    );
  }
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
