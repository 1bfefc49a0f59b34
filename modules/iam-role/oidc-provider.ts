import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { Construct } from 'constructs';
import { shape, shapeFindings } from '../core/input-shape';
import { type Finding, throwIfAny } from '../core/policy-error';
import { checkIamNameCollisions } from '../private/name-collisions';
import { issuerFindings, issuerProvider, type OidcProviderSpec } from './ci-identity/web-identity';

export interface OidcProviderProps extends OidcProviderSpec {
  /**
   * Thumbprints of the issuer's certificate, 40 hex characters each, at most 5. AWS verifies the issuer's
   * TLS certificate against its trusted root CAs and uses thumbprints only for an issuer whose certificate
   * none of them signs (IAM API reference, CreateOpenIDConnectProvider); the AWS provider takes
   * `thumbprint_list` as optional since 5.81.
   * @default - none
   */
  readonly thumbprints?: readonly string[];
  /**
   * Tags of the provider.
   * @default - no tags
   */
  readonly tags?: { readonly [key: string]: string };
}

const OIDC_PROVIDER_PROPS_SHAPE = shape.object(
  {
    url: shape.string(),
    clientIds: shape.list(shape.string()),
    thumbprints: shape.optional(shape.list(shape.string())),
    tags: shape.optional(shape.record(shape.string())),
  },
  { strict: true, example: 'githubActionsOidcProvider()' },
);

// IAM API reference, CreateOpenIDConnectProvider: "You cannot register more than 100 client IDs with a
// single IAM OIDC provider", client IDs "up to 255 characters long"; "up to five thumbprints", each "always a
// 40-character string"; the URL "should not contain a port number".
const MAX_CLIENT_IDS = 100;
const MAX_CLIENT_ID_LENGTH = 255;
const MAX_THUMBPRINTS = 5;
const THUMBPRINT = /^[0-9A-Fa-f]{40}$/;

/**
 * An IAM OIDC identity provider (`aws_iam_openid_connect_provider`): the issuer whose tokens roles may
 * trust, and the audiences it accepts. One per issuer and account ("You cannot register the same provider
 * multiple times in a single AWS account"). The CI presets give its props:
 * `new OidcProvider(stack, 'github', githubActionsOidcProvider())`. A role that trusts it must be created
 * after it (IAM refuses a trust policy naming a provider that does not exist yet): give the role
 * `dependsOn: [provider.provider]`, as `GitHubTerraformRoles` does.
 */
export class OidcProvider extends Construct {
  readonly provider: IamOpenidConnectProvider;
  /** The issuer URL without `https://`: the start of its condition keys (`token.actions.githubusercontent.com:sub`). */
  readonly issuerHost: string;

  constructor(scope: Construct, id: string, props: OidcProviderProps) {
    super(scope, id);
    const context = this.node.path;
    throwIfAny(context, shapeFindings(props, OIDC_PROVIDER_PROPS_SHAPE, ''));
    const findings: Finding[] = [...issuerFindings('url', props.url, 'https://token.actions.githubusercontent.com')];
    if (props.clientIds.length === 0 || props.clientIds.length > MAX_CLIENT_IDS) {
      findings.push({
        field: 'clientIds',
        value: props.clientIds,
        problem: `an OIDC provider takes 1 to ${MAX_CLIENT_IDS} audiences`,
        fix: 'give the audiences your tokens carry, e.g. ["sts.amazonaws.com"]',
      });
    }
    props.clientIds.forEach((clientId, i) => {
      if (clientId === '' || clientId.length > MAX_CLIENT_ID_LENGTH) {
        findings.push({ field: `clientIds[${i}]`, value: clientId, problem: `a client ID is 1 to ${MAX_CLIENT_ID_LENGTH} characters`, fix: 'give the audience as the tokens carry it' });
      }
    });
    if (new Set(props.clientIds).size !== props.clientIds.length) findings.push({ field: 'clientIds', value: props.clientIds, problem: 'lists an audience twice', fix: 'list each audience once' });
    const thumbprints = props.thumbprints ?? [];
    if (thumbprints.length > MAX_THUMBPRINTS)
      findings.push({ field: 'thumbprints', value: thumbprints, problem: `IAM takes at most ${MAX_THUMBPRINTS} thumbprints`, fix: "keep the current certificates' thumbprints only" });
    thumbprints.forEach((t, i) => {
      if (!THUMBPRINT.test(t))
        findings.push({
          field: `thumbprints[${i}]`,
          value: t,
          problem: "a thumbprint is the certificate's SHA-1, 40 hex characters",
          fix: 'give the hex SHA-1 of the certificate, or leave thumbprints out',
        });
    });
    throwIfAny(context, findings);
    this.issuerHost = issuerProvider(props.url)!;
    this.provider = new IamOpenidConnectProvider(this, 'provider', {
      url: props.url,
      clientIdList: [...props.clientIds],
      ...(thumbprints.length > 0 && { thumbprintList: thumbprints.map((t) => t.toLowerCase()) }),
      ...(props.tags !== undefined && { tags: { ...props.tags } }),
    });
    // An account registers a URL once: a second provider of it fails at apply (IAM_NAME_COLLISION).
    checkIamNameCollisions(this);
  }

  /** The provider's ARN (known at apply): `arn:<partition>:iam::<account>:oidc-provider/<issuer host>`. */
  get arn(): string {
    return this.provider.arn;
  }
}
