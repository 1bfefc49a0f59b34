import type { Construct } from 'constructs';
import { exampleCorpPipelinePolicy } from '../modules/delegated-role-creation';
import { InstanceProfile, Role } from '../modules/iam-role';
import {
  applicationRolePolicy,
  BOUNDARY_ACKNOWLEDGED,
  BucketPolicy,
  DATA_LAKE_ACKNOWLEDGED,
  dataLakeBucketPolicy,
  DEVELOPER_READ_ONLY_ACKNOWLEDGED,
  developerReadOnlyPolicy,
  EXAMPLE_CORP_READ_ONLY_ACCESS_ARN,
  exampleCorpBoundary,
  exampleCorpScp,
  PermissionsBoundary,
  ServiceControlPolicy,
} from '../modules/policy-types';
import { throwIfAny } from '../modules/core';
import { AccountScope } from './private/account-scope';
import { keepAddress } from './private/keep-address';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';
import { accountSettingFindings, roleInAccountFindings, type Setting, StackSettings, textSettingFindings } from './private/stack-settings';

/**
 * Every setting can also be given in the environment (`EXAMPLE_CORP_<NAME>`, e.g.
 * `EXAMPLE_CORP_APPLICATION_ACCOUNT`) or in cdktf's context (`exampleCorp.<name>`, e.g. cdktf.json's
 * `"context": { "exampleCorp.applicationAccount": "444455556666" }`): a prop comes first, then the
 * environment, then the context, then the default (the seed's value). `region` too
 * (`EXAMPLE_CORP_REGION`, `exampleCorp.region`).
 */
export interface ExampleCorpStackProps extends ReproducibleStackProps {
  /**
   * The application account.
   * @default '111111111111'
   */
  readonly applicationAccount?: string;
  /**
   * The data lake account.
   * @default '222222222222'
   */
  readonly dataLakeAccount?: string;
  /**
   * The organization's management account, where the SCP is created.
   * @default '333333333333' - the seed names none
   */
  readonly managementAccount?: string;
  /**
   * The role the management account's provider assumes. Organizations calls (the SCP) are made from the
   * management account, and Organizations creates no `OrganizationAccountAccessRole` there (only in the
   * member accounts it creates), so by default that provider uses the deploying credentials themselves,
   * which must be the management account's.
   * @default - none: the deploying credentials, which must be the management account's
   */
  readonly managementRoleArn?: string;
  /**
   * The role the application account's provider assumes to create the roles, boundary and instance profile.
   * @default - `arn:aws:iam::<applicationAccount>:role/OrganizationAccountAccessRole`, the role AWS Organizations
   * creates in every member account it creates, trusting the management account
   */
  readonly applicationRoleArn?: string;
  /**
   * The role the data lake account's provider assumes to write the bucket policy.
   * @default - `arn:aws:iam::<dataLakeAccount>:role/OrganizationAccountAccessRole`
   */
  readonly dataLakeRoleArn?: string;
  /**
   * The organization root the SCP is attached to.
   * @default 'r-ab12' - the seed names none
   */
  readonly organizationRootId?: string;
  /**
   * The application's bucket. The seed's `DOC-EXAMPLE-BUCKET1` is not a valid bucket name (upper case).
   * @default 'doc-example-bucket1'
   */
  readonly appBucket?: string;
  /**
   * The data lake's bucket, in the data lake account.
   * @default 'doc-example-bucket2'
   */
  readonly dataLakeBucket?: string;
  /**
   * Path of the roles the pipeline creates, the application role's among them.
   * @default '/application-roles/'
   */
  readonly applicationRolePath?: string;
  /**
   * Path of the instance profiles the pipeline creates, the application's among them.
   * @default '/application-instance-profiles/' - the seed's Policy 4
   */
  readonly instanceProfilePath?: string;
}

/** The role AWS Organizations creates in each member account it creates (CreateAccount's `RoleName` default). */
export const ORGANIZATION_ACCOUNT_ACCESS_ROLE = 'OrganizationAccountAccessRole';

/**
 * The seed's Example Corp ("IAM policy types: How and when to use them"): its seven policies with the
 * resources they are attached to, across three accounts.
 * 1. the SCP on the organization root (management account);
 * 2. the permissions boundary that every role the pipeline creates carries;
 * 3. the developers' read-only role; 4. the CI/CD pipeline's role (delegated role creation);
 * 5. the application's role, under the boundary, on an EC2 instance profile;
 * 6. the data lake bucket's policy (data lake account); 7. the central team's role with ReadOnlyAccess.
 *
 * One set of credentials deploys it: the management account's. Each member account's provider assumes a
 * role in that account (`applicationRoleArn`, `dataLakeRoleArn`; by default the OrganizationAccountAccessRole
 * that Organizations creates in the member accounts it creates, trusting the management account), and the
 * management account's provider uses those credentials as they are unless `managementRoleArn` is given.
 */
export class ExampleCorpStack extends ReproducibleStack {
  constructor(scope: Construct, name = 'example-corp', props: ExampleCorpStackProps = {}) {
    const settings = new StackSettings(scope, 'exampleCorp', 'EXAMPLE_CORP');
    const region = settings.get('region', props.region, 'eu-west-1');
    super(scope, name, { ...props, region: region.value });
    const accounts = {
      application: settings.get('applicationAccount', props.applicationAccount, '111111111111'),
      dataLake: settings.get('dataLakeAccount', props.dataLakeAccount, '222222222222'),
      management: settings.get('managementAccount', props.managementAccount, '333333333333'),
    };
    const texts = {
      organizationRootId: settings.get('organizationRootId', props.organizationRootId, 'r-ab12'),
      appBucket: settings.get('appBucket', props.appBucket, 'doc-example-bucket1'),
      dataLakeBucket: settings.get('dataLakeBucket', props.dataLakeBucket, 'doc-example-bucket2'),
      applicationRolePath: settings.get('applicationRolePath', props.applicationRolePath, '/application-roles/'),
      instanceProfilePath: settings.get('instanceProfilePath', props.instanceProfilePath, '/application-instance-profiles/'),
    };
    throwIfAny(this.node.path, [region, ...Object.values(texts)].flatMap(textSettingFindings));
    throwIfAny(this.node.path, Object.values(accounts).flatMap(accountSettingFindings));
    const memberRole = (account: string) => `arn:aws:iam::${account}:role/${ORGANIZATION_ACCOUNT_ACCESS_ROLE}`;
    const deployRoles = {
      management: settings.get('managementRoleArn', props.managementRoleArn, undefined),
      application: settings.get('applicationRoleArn', props.applicationRoleArn, memberRole(accounts.application.value)),
      dataLake: settings.get('dataLakeRoleArn', props.dataLakeRoleArn, memberRole(accounts.dataLake.value)),
    };
    throwIfAny(
      this.node.path,
      (['management', 'application', 'dataLake'] as const).flatMap((k) => {
        const role = deployRoles[k];
        return role === undefined ? [] : roleInAccountFindings(role, accounts[k].value);
      }),
    );

    const app = accounts.application.value;
    const dataLake = accounts.dataLake.value;
    const appBucket = texts.appBucket.value;
    const dataLakeBucket = texts.dataLakeBucket.value;
    const rolePath = texts.applicationRolePath.value;
    const instanceProfilePath = texts.instanceProfilePath.value;
    const accountRoot = { accounts: [app], account: app };
    const scopeProps = (alias: string, account: string, role: Setting | undefined) => ({
      alias,
      account,
      region: region.value,
      ...(role !== undefined && { assumeRoleArn: role.value }),
    });

    const management = new AccountScope(this, 'management', scopeProps('management', accounts.management.value, deployRoles.management));
    new ServiceControlPolicy(management, 'scp', {
      name: 'example-corp-guardrails',
      description: 'Deny requests without TLS; no account leaves the organization',
      document: exampleCorpScp(),
      targets: [texts.organizationRootId.value],
      outputPrefix: '',
    });

    const application = new AccountScope(this, 'application', scopeProps('application', app, deployRoles.application));
    // The boundary is a ceiling, not a grant: the seed's "*" resource bounds what roles may be given.
    const boundary = new PermissionsBoundary(application, 'boundary', {
      name: 'PermissionsBoundary',
      document: exampleCorpBoundary(),
      acknowledge: BOUNDARY_ACKNOWLEDGED,
      outputPrefix: '',
    });
    const developerReadOnly = new Role(application, 'developer_read_only', {
      name: 'DeveloperReadOnlyRole',
      trustPolicy: accountRoot,
      inlinePolicies: [{ name: 'DeveloperRoleBaselinePolicy', document: developerReadOnlyPolicy(), acknowledge: DEVELOPER_READ_ONLY_ACKNOWLEDGED }],
      outputPrefix: 'developer_read_only_',
    });
    const pipeline = new Role(application, 'pipeline', {
      name: 'CICDPipelineRole',
      trustPolicy: accountRoot,
      inlinePolicies: [
        {
          name: 'CICDPipelinePolicy',
          document: exampleCorpPipelinePolicy({
            account: app,
            rolePath,
            instanceProfilePath,
            permissionsBoundaryArn: `arn:aws:iam::${app}:policy/PermissionsBoundary`,
          }),
          // The seed's deployment statement grants every action of seven services on "*", by name.
          acknowledge: ['WILDCARD_ACTION', 'WILDCARD_RESOURCE'],
        },
      ],
      outputPrefix: 'pipeline_',
    });
    const applicationRole = new Role(application, 'application_role', {
      name: 'ApplicationRole',
      path: rolePath,
      trustPolicy: { services: ['ec2.amazonaws.com'] },
      permissionsBoundary: boundary,
      inlinePolicies: [{ name: 'ApplicationRolePolicy', document: applicationRolePolicy({ appBucket, dataLakeBucket }) }],
      outputPrefix: 'application_',
    });
    // Under the pipeline's instance profile path, not its role path: the pipeline policy (ManagePathInstanceProfiles)
    // may create instance profiles only there.
    new InstanceProfile(application, 'application_profile', { name: 'ApplicationRole', path: instanceProfilePath, role: applicationRole, outputPrefix: 'application_' });
    const centralCloudTeam = new Role(application, 'central_cloud_team', {
      name: 'CentralCloudTeamReadonlyRole',
      trustPolicy: accountRoot,
      awsManagedPolicies: [EXAMPLE_CORP_READ_ONLY_ACCESS_ARN],
      outputPrefix: 'central_cloud_team_',
    });
    // The inline policies and the attachment were keyed by position (inline_0, attachment_0) before they
    // were keyed by the policy's name.
    keepAddress(developerReadOnly.inlinePolicies.get('DeveloperRoleBaselinePolicy'), 'application_developer_read_only_inline_0_1453459A');
    keepAddress(pipeline.inlinePolicies.get('CICDPipelinePolicy'), 'application_pipeline_inline_0_F62B2C5A');
    keepAddress(applicationRole.inlinePolicies.get('ApplicationRolePolicy'), 'application_application_role_inline_0_5701D7F7');
    keepAddress(centralCloudTeam.attachments[0], 'application_central_cloud_team_attachment_0_0385D7BF');

    const dataLakeScope = new AccountScope(this, 'data_lake', scopeProps('data_lake', dataLake, deployRoles.dataLake));
    // The policy names the application role by its ARN, written out: S3 refuses a principal that does not exist
    // yet (MalformedPolicy: Invalid principal in policy), and BucketPolicy writes itself after that role on its own.
    new BucketPolicy(dataLakeScope, 'data_lake_bucket_policy', {
      bucket: dataLakeBucket,
      account: dataLake,
      document: dataLakeBucketPolicy({ bucket: dataLakeBucket, applicationAccount: app, dataLakeAccount: dataLake, rolePath }),
      acknowledge: DATA_LAKE_ACKNOWLEDGED,
    });
  }
}
