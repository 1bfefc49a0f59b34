// Jest's order, except that the two longest files start first, so that neither is the whole run's tail:
// the consumer apps (test/consumers: minutes, mostly waiting on npm) and the apply test (test/apply:
// every stack and example applied on moto).
const Sequencer = require('@jest/test-sequencer').default;

class ConsumersFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const first = (test) => (/[\\/]test[\\/](consumers|apply)[\\/]/.test(test.path) ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

module.exports = ConsumersFirst;
