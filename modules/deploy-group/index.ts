// An IAM group with inline policies, managed policy attachments and member users, and the jets-deploy
// policy. `jetsDeployPolicy` and its types are pure (no cdktf); the constructs turn them into resources.
export { jetsDeployPolicy, jetsDeployAcknowledged, jetsDeployInputFindings, prefixFindings, JETS_DEPLOY_ACKNOWLEDGED, type JetsDeployPolicyProps } from './jets-deploy-policy';
export { DeployGroup, type DeployGroupProps, type GroupInlinePolicy, type GroupUser } from './deploy-group';
export { JetsDeployGroup, type JetsDeployGroupProps } from './jets-deploy-group';
