/**
 * `terraform-modules/state-access-role/` against the AWS provider's schema as @cdktf/provider-aws knows
 * it: `terraform validate` needs the provider, which the tests cannot download (see
 * test/support/provider-schema.ts for what the check covers and what it leaves to validate).
 */
import { join } from 'path';
import { STATE_ACCESS_ROLE_MODULE_DIR, stateAccessRoleModuleFiles } from '../../../modules/state-access/terraform-state-access-role';
import { moduleSchemaFindings } from '../../support/provider-schema';

const ROOT = join(__dirname, '..', '..', '..');

describe('terraform-modules/state-access-role against the AWS provider schema', () => {
  it('writes only arguments aws_iam_role, aws_iam_role_policy and aws_iam_role_policy_attachment have, all required ones, and reads only attributes they have', () => {
    expect(moduleSchemaFindings(stateAccessRoleModuleFiles(), STATE_ACCESS_ROLE_MODULE_DIR, ROOT)).toEqual([]);
  });
});
