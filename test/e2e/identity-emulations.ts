import {
  type AwsRequest,
  type HandledCall,
  jsonAnswer,
  jsonError,
  type ServiceEmulation,
} from './aws-stand-in.js';
import { queryAnswer, queryError, readQueryForm } from './query-protocol.js';

/**
 * STS GetCallerIdentity in the query protocol, answering as a role of
 * `accountId`. The Lambda takes its account from the function ARN, so a
 * run that calls this is recorded and the test says so.
 */
export function stsEmulation(accountId: string): ServiceEmulation {
  return {
    handle(request: AwsRequest): HandledCall {
      const form = readQueryForm(request);
      if (form?.action !== 'GetCallerIdentity') {
        return {
          operation: form?.action ?? '(not an AWS query request)',
          input: form?.params ?? null,
          unknown: true,
          answer: queryError(400, 'InvalidAction', 'not emulated'),
        };
      }
      return {
        operation: 'GetCallerIdentity',
        input: form.params,
        answer: queryAnswer(
          'GetCallerIdentity',
          'https://sts.amazonaws.com/doc/2011-06-15/',
          {
            Account: accountId,
            Arn: `arn:aws:sts::${accountId}:assumed-role/eks-cert-audit/e2e`,
            UserId: 'AROAEXAMPLEE2E:e2e',
          },
        ),
      };
    },
  };
}

/**
 * Account ListRegions (REST-JSON, `POST /listRegions`) answering
 * `regions` as enabled. With `AUDIT_REGIONS` set the Lambda must not call
 * it; the emulation exists so that such a call is answered and counted
 * rather than left hanging.
 */
export function accountEmulation(regions: readonly string[]): ServiceEmulation {
  return {
    handle(request: AwsRequest): HandledCall {
      const input = JSON.parse(request.body.toString('utf8') || '{}');
      if (request.method !== 'POST' || request.path !== '/listRegions') {
        return {
          operation: `(unknown Account ${request.method} ${request.path})`,
          input,
          unknown: true,
          answer: jsonError(400, 'UnknownOperationException', 'not emulated'),
        };
      }
      return {
        operation: 'ListRegions',
        input,
        answer: jsonAnswer(
          {
            Regions: regions.map((name) => ({
              RegionName: name,
              RegionOptStatus: 'ENABLED_BY_DEFAULT',
            })),
          },
          'application/json',
        ),
      };
    },
  };
}
