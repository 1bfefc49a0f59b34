import type { TerraformResource } from 'cdktf';

/**
 * Keeps a resource at the Terraform address it had before its construct id changed: these stacks' child
 * resources were keyed by position (`inline_0`, `attachment_0`, `user-0`) until the constructs keyed them
 * by name, and a new address would make Terraform destroy the deployed policy or attachment and create it
 * again (a moment without the permission). The constructs' new keys are stable, so each pin stays right
 * for as long as the resource is the same one. (cdktf's `moveFromId` would write a `moved` block instead,
 * but makes every synth run `terraform version`: a stack would then need terraform to synthesize.)
 */
export function keepAddress(resource: TerraformResource | undefined, logicalId: string): void {
  if (resource === undefined) throw new Error(`keepAddress: no resource to keep at ${logicalId}`);
  resource.overrideLogicalId(logicalId);
}
