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
import { AccountScope } from './private/account-scope';
import { keepAddress } from './private/keep-address';
import { ReproducibleStack, type ReproducibleStackProps } from './private/reproducible-stack';

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
}

/**
 * The seed's Example Corp ("IAM policy types: How and when to use them"): its seven policies with the
 * resources they are attached to, across three accounts.
 * 1. the SCP on the organization root (management account);
 * 2. the permissions boundary that every role the pipeline creates carries;
 * 3. the developers' read-only role; 4. the CI/CD pipeline's role (delegated role creation);
 * 5. the application's role, under the boundary, on an EC2 instance profile;
 * 6. the data lake bucket's policy (data lake account); 7. the central team's role with ReadOnlyAccess.
 */
export class ExampleCorpStack extends ReproducibleStack {
  constructor(scope: Construct, name = 'example-corp', props: ExampleCorpStackProps = {}) {
    super(scope, name, props);
    const region = props.region ?? 'eu-west-1';
    const app = props.applicationAccount ?? '111111111111';
    const dataLake = props.dataLakeAccount ?? '222222222222';
    const appBucket = props.appBucket ?? 'doc-example-bucket1';
    const dataLakeBucket = props.dataLakeBucket ?? 'doc-example-bucket2';
    const rolePath = props.applicationRolePath ?? '/application-roles/';
    const accountRoot = { accounts: [app], account: app };

    const management = new AccountScope(this, 'management', { alias: 'management', account: props.managementAccount ?? '333333333333', region });
    new ServiceControlPolicy(management, 'scp', {
      name: 'example-corp-guardrails',
      description: 'Deny requests without TLS; no account leaves the organization',
      document: exampleCorpScp(),
      targets: [props.organizationRootId ?? 'r-ab12'],
      outputPrefix: '',
    });

    const application = new AccountScope(this, 'application', { alias: 'application', account: app, region });
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
    new InstanceProfile(application, 'application_profile', { name: 'ApplicationRole', path: rolePath, role: applicationRole, outputPrefix: 'application_' });
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

    const dataLakeScope = new AccountScope(this, 'data_lake', { alias: 'data_lake', account: dataLake, region });
    new BucketPolicy(dataLakeScope, 'data_lake_bucket_policy', {
      bucket: dataLakeBucket,
      account: dataLake,
      document: dataLakeBucketPolicy({ bucket: dataLakeBucket, applicationAccount: app, dataLakeAccount: dataLake, rolePath }),
      acknowledge: DATA_LAKE_ACKNOWLEDGED,
    });
  }
}
