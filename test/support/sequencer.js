// Jest's order, except that the consumer apps (test/consumers) start first: they take minutes, mostly
// waiting on npm, and started last they would be the whole run's tail.
const Sequencer = require('@jest/test-sequencer').default;

class ConsumersFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const first = (test) => (/[\\/]test[\\/]consumers[\\/]/.test(test.path) ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

module.exports = ConsumersFirst;
