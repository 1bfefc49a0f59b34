import { Construct } from 'constructs';
import { shape, shapeFindings } from '../core/input-shape';
import { PolicyValidationError, throwIfAny, type Finding } from '../core/policy-error';
import type { OidcProvider } from '../iam-role/oidc-provider';
import { Role, type RoleProps } from '../iam-role/role';
import type { PermissionsBoundaryReference } from '../private/references';
import { STATE_POLICY_ACKNOWLEDGED, type StateAccessGrant, statePermissionsPolicy, type StatePermissionsProps } from '../state-access/state-permissions';
import { STATE_PERMISSIONS_FIELDS } from '../state-access/private/grants';
import { type ApplyTrust, GITHUB_TERRAFORM_TRUSTS_FIELDS, type GitHubRepository, githubTerraformTrusts, type PlanTrust } from './github-terraform-trusts';

/** What a role may do besides the state: the read-only policy of plans, or the deploy policy of applies. */
export type TerraformRolePermissions = Pick<RoleProps, 'inlinePolicies' | 'managedPolicyArns' | 'awsManagedPolicies' | 'overflowToManagedPolicies' | 'maxManagedPolicies'>;

/** The state backend, as `statePermissionsPolicy` takes it, less the grants each role gets. */
export type TerraformStateBackend = Omit<StatePermissionsProps, 'canApply' | 'canPlan' | 'canRead' | 'maxPolicySize'>;

export interface GitHubTerraformRolesProps {
  /** Start of the roles' names: `<name>-plan` and `<name>-apply`. */
  readonly name: string;
  /** The 12-digit ID of the account the roles and the OIDC provider are in. */
  readonly account: string;
  /** The repository whose workflows run Terraform (owner, name, and its immutable IDs where it has them). */
  readonly repository: GitHubRepository;
  /** Who may apply: protected branches or environments, named in full. */
  readonly apply: ApplyTrust;
  /**
   * Who may plan.
   * @default - pull requests
   */
  readonly plan?: PlanTrust;
  /** The state backend: bucket, lock table, keys. */
  readonly state: TerraformStateBackend;
  /** The configurations the repository runs: the plan role may plan them, the apply role apply them. */
  readonly configurations: readonly StateAccessGrant[];
  /** What a plan may read besides the state (e.g. `awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess']`). */
  readonly planPermissions: TerraformRolePermissions;
  /** What an apply may change: the deploy policy. */
  readonly applyPermissions: TerraformRolePermissions;
  /**
   * The OIDC provider of GitHub's tokens, when this stack creates it: the roles are created after it.
   * @default - the account's provider for the repository's issuer, which must exist already
   */
  readonly oidcProvider?: OidcProvider;
  /** @default '/' */
  readonly path?: string;
  /**
   * The boundary of both roles: its ARN, or the construct that creates it (a `PermissionsBoundary`, an `IamPolicy`).
   * @default - no permissions boundary
   */
  readonly permissionsBoundary?: PermissionsBoundaryReference;
  /** @default - AWS's, 3600 */
  readonly maxSessionDuration?: number;
  /** @default - no tags */
  readonly tags?: { readonly [key: string]: string };
  /**
   * Write the roles' Terraform outputs, after this prefix: the plan role's `<prefix>plan_role_arn`,
   * `<prefix>plan_role_name`, the apply role's `<prefix>apply_role_arn`, `<prefix>apply_role_name`.
   * @default - no outputs
   */
  readonly outputPrefix?: string;
}

// Each role's own props check these again; strict here so that a misspelt field is named under this
// construct, not passed on to a role.
const PERMISSIONS_SHAPE = shape.object(
  {
    inlinePolicies: shape.optional(shape.list(shape.any())),
    managedPolicyArns: shape.optional(shape.list(shape.any())),
    awsManagedPolicies: shape.optional(shape.list(shape.any())),
    overflowToManagedPolicies: shape.optional(shape.boolean()),
    maxManagedPolicies: shape.optional(shape.number()),
  },
  { strict: true, example: "{ awsManagedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }" },
);

/** `TerraformStateBackend`: the state props less the grants, which come from `configurations`. */
const { canApply: _apply, canPlan: _plan, canRead: _read, maxPolicySize: _size, ...STATE_BACKEND_FIELDS } = STATE_PERMISSIONS_FIELDS;

const PROPS_SHAPE = shape.object(
  {
    name: shape.string(),
    account: shape.string(),
    ...GITHUB_TERRAFORM_TRUSTS_FIELDS,
    state: shape.object(STATE_BACKEND_FIELDS, { strict: true, example: "{ stateBucketArn: 'arn:aws:s3:::my-state-bucket' }" }),
    configurations: shape.list(shape.record(shape.any())),
    planPermissions: PERMISSIONS_SHAPE,
    applyPermissions: PERMISSIONS_SHAPE,
    // Read for its provider resource, which the roles are created after.
    oidcProvider: shape.optional(shape.object({ provider: shape.record(shape.any()) }, { example: "new OidcProvider(stack, 'github', githubActionsOidcProvider())" })),
    path: shape.optional(shape.string()),
    permissionsBoundary: shape.optional(shape.any()),
    maxSessionDuration: shape.optional(shape.number()),
    tags: shape.optional(shape.record(shape.string())),
    outputPrefix: shape.optional(shape.string()),
  },
  { strict: true, example: "{ name: 'infra', account: '123456123456', repository: { owner: 'my-org', repository: 'infra' }, apply: { environments: ['production'] }, … }" },
);

/** Name of the state policy on each role, as `StateAccessRole` names its own. */
export const STATE_POLICY_NAME = 'terraform-state-access';

/**
 * Two roles for one repository's Terraform in GitHub Actions: `<name>-plan`, assumable from pull requests,
 * which may plan the configurations (read and lock the state, never write it) and read what
 * `planPermissions` allows; and `<name>-apply`, assumable only from the protected branches and environments
 * named, which may apply them and do what `applyPermissions` allows. See `githubTerraformTrusts` for why a
 * pull request can never apply.
 */
export class GitHubTerraformRoles extends Construct {
  readonly planRole: Role;
  readonly applyRole: Role;

  constructor(scope: Construct, id: string, props: GitHubTerraformRolesProps) {
    super(scope, id);
    const context = this.node.path;
    throwIfAny(context, shapeFindings(props, PROPS_SHAPE, ''));
    const trusts = githubTerraformTrusts(props);
    const findings: Finding[] = [...trusts.findings];
    if (props.configurations.length === 0) {
      findings.push({
        field: 'configurations',
        value: [],
        problem: 'no configuration: the roles could not reach any state',
        fix: "give the backend keys the repository runs, e.g. [{ key: 'infra/terraform.tfstate' }]",
      });
    }
    throwIfAny(context, findings);
    const state = (grants: Pick<StatePermissionsProps, 'canApply' | 'canPlan'>, field: string) => {
      try {
        return statePermissionsPolicy({ ...props.state, ...grants });
      } catch (e) {
        if (e instanceof PolicyValidationError)
          throw new PolicyValidationError(
            context,
            e.findings.map((f) => ({ ...f, field: `${field}.${f.field}` })),
          );
        throw e;
      }
    };
    const common = {
      account: props.account,
      ...(props.path !== undefined && { path: props.path }),
      ...(props.permissionsBoundary !== undefined && { permissionsBoundary: props.permissionsBoundary }),
      ...(props.maxSessionDuration !== undefined && { maxSessionDuration: props.maxSessionDuration }),
      ...(props.tags !== undefined && { tags: props.tags }),
      ...(props.oidcProvider !== undefined && { dependsOn: [props.oidcProvider.provider] }),
    };
    const prefix = props.outputPrefix;
    const role = (kind: 'plan' | 'apply', permissions: TerraformRolePermissions, grants: Pick<StatePermissionsProps, 'canApply' | 'canPlan'>) =>
      new Role(this, kind, {
        ...common,
        ...permissions,
        name: `${props.name}-${kind}`,
        trustPolicy: { githubActions: [kind === 'plan' ? trusts.plan : trusts.apply] },
        inlinePolicies: [
          { name: STATE_POLICY_NAME, document: state(grants, kind === 'plan' ? 'configurations (plan)' : 'configurations (apply)'), acknowledge: STATE_POLICY_ACKNOWLEDGED },
          ...(permissions.inlinePolicies ?? []),
        ],
        ...(prefix !== undefined && { outputPrefix: `${prefix}${kind}_` }),
      });
    this.planRole = role('plan', props.planPermissions, { canPlan: props.configurations });
    this.applyRole = role('apply', props.applyPermissions, { canApply: props.configurations });
  }
}
