import { describe, expect, it } from 'vitest';
import { accountIdFromArn } from '../../lambda/adapters/eks-cluster-target.js';

describe('accountIdFromArn', () => {
  it.each([
    ['arn:aws:eks:us-west-2:111122223333:cluster/prod', '111122223333'],
    ['arn:aws-cn:eks:cn-north-1:111122223333:cluster/x', '111122223333'],
    ['arn:aws:lambda:eu-west-1:444455556666:function:audit', '444455556666'],
    ['arn:aws:eks:us-west-2::cluster/prod', null],
    ['not an arn', null],
    [undefined, null],
  ])('reads %s as %s', (arn, account) => {
    expect(accountIdFromArn(arn)).toBe(account);
  });
});
