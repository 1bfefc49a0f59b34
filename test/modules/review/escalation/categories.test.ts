// The risk categories no access level shows: credentials exposure, data exfiltration, and, in the diff,
// who a trust or resource policy newly lets in (another account, anyone, a web identity no longer pinned)
// and a Deny taken away; iam:AddUserToGroup as an escalation path.
import type { PolicyDocument, PolicyStatement } from '../../../../modules/core';
import { diffReview, documentGrants, grantFlags, permissionDiff, readStack, renderDiff, type StackIam } from '../../../../modules/review';
import { categoryFlags, principalFlags } from '../../../../modules/review/escalation';
import { ACCOUNT } from './simulate';

const SIDES = { before: 'main', after: 'the working tree' };

function doc(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function flagsOf(statement: PolicyStatement): string[] {
  return [...new Set(documentGrants(doc(statement), { policy: 'p', resourceless: 'any' }).flatMap(categoryFlags))].sort();
}

const allow = (Action: string | string[], Resource: string | string[] = '*'): PolicyStatement => ({ Effect: 'Allow', Action, Resource });

describe('CREDENTIALS_EXPOSURE', () => {
  it("making or resetting another identity's credentials", () => {
    for (const action of ['iam:CreateAccessKey', 'iam:UpdateLoginProfile', 'iam:CreateLoginProfile', 'iam:CreateServiceSpecificCredential', 'iam:UploadSSHPublicKey', 'ec2:GetPasswordData']) {
      expect([action, flagsOf(allow(action))]).toEqual([action, ['CREDENTIALS_EXPOSURE']]);
    }
    expect(flagsOf(allow('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/deploy`))).toEqual(['CREDENTIALS_EXPOSURE']);
  });

  it("not the caller's own credentials (user/${aws:username}), nor a Deny, nor reading key metadata", () => {
    expect(flagsOf(allow(['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], 'arn:aws:iam::*:user/${aws:username}'))).toEqual([]);
    expect(flagsOf(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/staff/${aws:username}'))).toEqual([]);
    expect(flagsOf({ Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*' })).toEqual([]);
    expect(flagsOf(allow('iam:ListAccessKeys'))).toEqual([]);
  });

  it('is one of grantFlags, so the report and the diff show it', () => {
    const grant = documentGrants(doc(allow('iam:CreateAccessKey')), { policy: 'p', resourceless: 'any' })[0];
    expect(grantFlags(grant)).toContain('CREDENTIALS_EXPOSURE');
  });
});

describe('DATA_EXFILTRATION', () => {
  it('sharing data outside the account, on any resource', () => {
    for (const action of [
      's3:PutBucketPolicy',
      's3:PutBucketAcl',
      's3:PutReplicationConfiguration',
      'ec2:ModifySnapshotAttribute',
      'rds:ModifyDBSnapshotAttribute',
      'kms:PutKeyPolicy',
      'secretsmanager:PutResourcePolicy',
    ]) {
      expect([action, flagsOf(allow(action, 'arn:aws:s3:::one-bucket'))]).toEqual([action, ['DATA_EXFILTRATION']]);
    }
  });

  it('reading every object, secret, parameter or item of its kind; not one bucket or one secret', () => {
    expect(flagsOf(allow('s3:GetObject'))).toEqual(['DATA_EXFILTRATION']);
    expect(flagsOf(allow('s3:GetObject', 'arn:aws:s3:::*/*'))).toEqual(['DATA_EXFILTRATION']);
    expect(flagsOf(allow('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:*`))).toEqual(['DATA_EXFILTRATION']);
    expect(flagsOf({ Effect: 'Allow', Action: 'ssm:GetParameters', NotResource: 'arn:aws:ssm:*:*:parameter/public/*' })).toEqual(['DATA_EXFILTRATION']);
    expect(flagsOf(allow('s3:GetObject', 'arn:aws:s3:::data/*'))).toEqual([]);
    expect(flagsOf(allow('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-*`))).toEqual([]);
    expect(flagsOf(allow('s3:ListBucket'))).toEqual([]);
  });
});

describe('principalFlags: who one grant of a trust or resource policy lets in', () => {
  const trustGrant = (statement: Partial<PolicyStatement>) =>
    documentGrants(doc({ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', ...statement } as PolicyStatement), { policy: 'trust', resourceless: 'self' })[0];
  const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

  it('another account, anyone, a web identity not pinned to a subject', () => {
    expect(principalFlags(trustGrant({ Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::999999999999:root' } }), ACCOUNT)).toEqual(['CROSS_ACCOUNT']);
    expect(principalFlags(trustGrant({ Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }), ACCOUNT)).toEqual([]);
    expect(principalFlags(trustGrant({ Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }))).toEqual(['CROSS_ACCOUNT']);
    expect(principalFlags(trustGrant({ Action: 'sts:AssumeRole', Principal: '*' }), ACCOUNT)).toEqual(['ANY_PRINCIPAL']);
    const pinned = {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main' },
    };
    expect(principalFlags(trustGrant({ Principal: { Federated: GITHUB }, Condition: pinned }), ACCOUNT)).toEqual([]);
    expect(principalFlags(trustGrant({ Principal: { Federated: GITHUB }, Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } } }), ACCOUNT)).toContain(
      'OIDC_SUBJECT_UNPINNED',
    );
  });
});

describe('in the diff: the flags of what a change lets in or takes away', () => {
  const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const AUD = { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' };
  const SUB = { 'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main' };

  function roleStack(trust: PolicyDocument, policy: PolicyDocument = doc(allow('s3:ListBucket', 'arn:aws:s3:::b'))): StackIam {
    return readStack(
      'crafted',
      {
        provider: { aws: [{ region: 'us-east-1', allowed_account_ids: [ACCOUNT] }] },
        resource: {
          aws_iam_role: { app: { name: 'app', assume_role_policy: JSON.stringify(trust) } },
          aws_iam_role_policy: { app: { name: 'p', role: '${aws_iam_role.app.name}', policy: JSON.stringify(policy) } },
        },
      },
      'test',
    );
  }
  const sameAccount = doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } });

  it('a new principal of another account: CROSS_ACCOUNT on the line that adds it', () => {
    const after = doc(sameAccount.Statement[0], { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::999999999999:root' } });
    const review = diffReview(permissionDiff([roleStack(sameAccount)], [roleStack(after)]), SIDES);
    expect(review.flagged).toEqual([expect.objectContaining({ line: '+ trust policy: Allow sts Write: AssumeRole on (this role)', flags: ['CROSS_ACCOUNT'] })]);
    expect(review.summary.riskFlags).toEqual({ CROSS_ACCOUNT: 1 });
  });

  it('anyone: ANY_PRINCIPAL', () => {
    const after = doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '*' } });
    expect(diffReview(permissionDiff([roleStack(sameAccount)], [roleStack(after)]), SIDES).summary.riskFlags).toMatchObject({ ANY_PRINCIPAL: 1 });
  });

  it("a web identity's sub condition dropped: OIDC_SUBJECT_UNPINNED", () => {
    const web = (condition: Record<string, string>) => doc({ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: GITHUB }, Condition: { StringEquals: condition } });
    const review = diffReview(permissionDiff([roleStack(web({ ...AUD, ...SUB }))], [roleStack(web(AUD))]), SIDES);
    expect(review.verdict).toBe('widens');
    expect(review.flagged.map((f) => f.flags)).toEqual([['OIDC_SUBJECT_UNPINNED']]);
  });

  it('a Deny removed: DENY_REMOVED on the line that takes it away', () => {
    const withDeny = doc(allow('s3:*', 'arn:aws:s3:::b'), { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' });
    const diff = permissionDiff([roleStack(sameAccount, withDeny)], [roleStack(sameAccount, doc(allow('s3:*', 'arn:aws:s3:::b')))]);
    const review = diffReview(diff, SIDES);
    expect(review.flagged).toEqual([expect.objectContaining({ line: '- Deny s3 Write: DeleteBucket on *', flags: ['DENY_REMOVED'] })]);
    expect(renderDiff(diff, SIDES)).toContain('risky: DENY_REMOVED');
  });

  it('iam:AddUserToGroup on another group: a new escalation path (iam-013), and the diff widens', () => {
    const diff = permissionDiff([roleStack(sameAccount)], [roleStack(sameAccount, doc(allow('iam:AddUserToGroup', `arn:aws:iam::${ACCOUNT}:group/admins`)))]);
    expect(renderDiff(diff, SIDES)).toContain('WIDENS * NEW ESCALATION PATH iam-013: role app via iam:AddUserToGroup\n');
    expect(diffReview(diff, SIDES).exitCode).toBe(1);
  });
});
