import { App } from 'cdktf';
import { buildStacks } from './stacks';
import { removeOtherFormat } from './stacks/private/stale-output';

const app = new App();
buildStacks(app);
app.synth();
removeOtherFormat(app);
