/**
 * The bin packing behind fitPolicies (modules/core/private/pack-statements.ts): the fewest bins, found
 * where first-fit decreasing alone would use more; Sids kept apart; deterministic order.
 */
import { packItems } from '../../../modules/core/private/pack-statements';

const items = (weights: number[], sids: (string | undefined)[] = []) => weights.map((weight, index) => ({ index, weight, ...(sids[index] !== undefined && { sid: sids[index] }) }));

describe('packItems', () => {
  it('finds two bins where first-fit decreasing takes three', () => {
    // First-fit decreasing: [5, 4], [4, 3, 2], [2]. Two bins hold them: [5, 3, 2] and [4, 4, 2].
    const bins = packItems(items([5, 4, 4, 3, 2, 2]), 10);
    expect(bins).toEqual([
      [0, 3, 4],
      [1, 2, 5],
    ]);
  });

  it('keeps each bin in item order and orders bins by their first item', () => {
    expect(packItems(items([2, 9, 1, 8]), 10)).toEqual([
      [0, 3],
      [1, 2],
    ]);
  });

  it('never puts two items with the same Sid in one bin, even when they would fit', () => {
    expect(packItems(items([1, 1, 1], ['A', 'A', undefined]), 10)).toEqual([[0, 2], [1]]);
    expect(packItems(items([1, 1, 1], ['A', 'A', 'A']), 10)).toEqual([[0], [1], [2]]);
  });

  it('one bin when everything fits, none for nothing, and an error for an item over the capacity', () => {
    expect(packItems(items([3, 3, 4]), 10)).toEqual([[0, 1, 2]]);
    expect(packItems([], 10)).toEqual([]);
    expect(() => packItems(items([3, 11]), 10)).toThrow('packItems: item 1 weighs 11, over the capacity 10');
  });

  it('gives the same bins for the same items, whatever their order in the input', () => {
    const weights = [7, 3, 6, 2, 5, 4, 4, 1, 8, 2];
    const forward = packItems(items(weights), 12);
    const reversed = packItems([...items(weights)].reverse(), 12);
    expect(reversed).toEqual(forward);
    expect(forward.flat().sort((a, b) => a - b)).toEqual(weights.map((_, i) => i));
    expect(forward).toHaveLength(Math.ceil(weights.reduce((a, b) => a + b) / 12));
  });
});
