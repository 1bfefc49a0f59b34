import { App } from 'cdktf';
import { cdktfContextJson, CONTEXT_ENV, readCdktfJsonFile } from './modules/cli/synth-env';
import { buildStacks } from './stacks';
import { removeOtherFormat } from './stacks/private/stale-output';

// The context `cdktf synth` passes the app (cdktf.json's "context", in CDKTF_CONTEXT_JSON), given the same
// way when main.ts runs without cdktf-cli (`npm run synth`): both synthesize the same stacks. Under cdktf
// synth this sets the value cdktf already set.
process.env[CONTEXT_ENV] = cdktfContextJson(readCdktfJsonFile(process.cwd()), process.env);

const app = new App();
buildStacks(app);
app.synth();
removeOtherFormat(app);
