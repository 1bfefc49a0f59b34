import { App } from 'cdktf';
import { buildStacks } from './stacks';

const app = new App();
buildStacks(app);
app.synth();
