import fc from 'fast-check';
import { globRegExp } from '../../../../modules/core/iam-data';
import { arnPatternCovers, arnSegments, hasPatternWildcard, patternCovers, patternsIntersect } from '../../../../modules/review/private/wildcards';

const SEED = 20_261_208;

describe('patternCovers: one IAM wildcard pattern matches every string another matches', () => {
  it.each([
    ['*', 'anything/at:all'],
    ['a/*', 'a/b'],
    ['a/*', 'a/*/c'],
    ['a/*', 'a/?'],
    ['a/?', 'a/b'],
    ['a/?', 'a/?'],
    ['*/terraform.tfstate', 'env:/*/terraform.tfstate'],
    // `*?` and `?*` both match one character or more.
    ['*?', '?*'],
    ['?*', '*?'],
    ['a*b*c', 'a*b*c'],
    ['a*c', 'a*b*c'],
    ['${aws:username}/*', '${aws:username}/x'],
  ])('%s covers %s', (general, specific) => {
    expect(patternCovers(general, specific)).toBe(true);
  });

  it.each([
    ['a/?', 'a/*'], // `*` also matches "" and "bc"
    ['a/b', 'a/*'],
    ['a/*', 'b/*'],
    ['a*b*c', 'a*c'], // "ac" is not matched by a*b*c
    ['?', '${aws:username}'], // a variable may be longer than one character
    ['alice', '${aws:username}'],
    ['${aws:username}', 'alice'],
  ])('%s does not cover %s', (general, specific) => {
    expect(patternCovers(general, specific)).toBe(false);
  });

  // Soundness: whenever it answers "covers", every string the specific pattern matches (strings built by
  // filling its wildcards at random) matches the general one, by core's own matcher.
  it('never claims a cover that some string breaks (fast-check)', () => {
    const pattern = fc.stringMatching(/^[ab/*?]{0,6}$/);
    const fill = fc.array(fc.stringMatching(/^[ab/]{0,3}$/), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(pattern, pattern, fill, (general, specific, fillers) => {
        fc.pre(patternCovers(general, specific));
        let k = 0;
        const instance = [...specific].map((c) => (c === '*' ? fillers[k++ % 8] : c === '?' ? (fillers[k++ % 8] + 'a')[0] : c)).join('');
        return globRegExp(general).test(instance);
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });

  // And it sees every cover of a literal: for a pattern without wildcards it is exact matching.
  it('agrees with core matching on literals (fast-check)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ab/*?]{0,6}$/), fc.stringMatching(/^[ab/]{0,6}$/), (general, literal) => patternCovers(general, literal) === globRegExp(general).test(literal)),
      { seed: SEED, numRuns: 3_000 },
    );
  });
});

describe('patternsIntersect: whether two patterns share a string', () => {
  it('finds shared strings and proves disjoint ones', () => {
    expect(patternsIntersect('a/*', '*/b')).toBe(true);
    expect(patternsIntersect('a/?', 'a/bc')).toBe(false);
    expect(patternsIntersect('a/*', 'b/*')).toBe(false);
    expect(patternsIntersect('${aws:username}', 'alice')).toBe(true); // a variable may be anything
  });

  it('never calls disjoint two patterns that a string matches both of (fast-check)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ab/*?]{0,5}$/), fc.stringMatching(/^[ab/*?]{0,5}$/), fc.stringMatching(/^[ab/]{0,5}$/), (a, b, s) => {
        fc.pre(globRegExp(a).test(s) && globRegExp(b).test(s));
        return patternsIntersect(a, b);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });
});

describe('ARN patterns, part by part', () => {
  it('splits the six parts, keeping colons of the resource part and of policy variables', () => {
    expect(arnSegments('arn:aws:logs:eu-west-1:1:log-group:/x:*')).toEqual(['arn', 'aws', 'logs', 'eu-west-1', '1', 'log-group:/x:*']);
    expect(arnSegments('arn:aws:iam::${aws:PrincipalAccount}:user/x')).toEqual(['arn', 'aws', 'iam', '', '${aws:PrincipalAccount}', 'user/x']);
    expect(arnSegments('*')).toBeUndefined();
  });

  it('covers part by part; `*` alone covers every ARN', () => {
    expect(arnPatternCovers('arn:aws:iam::*:role/*', 'arn:aws:iam::111111111111:role/app/x')).toBe(true);
    expect(arnPatternCovers('*', 'arn:aws:s3:::b')).toBe(true);
    // A `*` in the account part does not reach into the resource part.
    expect(arnPatternCovers('arn:aws:iam::*', 'arn:aws:iam::1:role/x')).toBe(false);
    expect(arnPatternCovers('arn:aws:s3:::b/*', 'arn:aws:s3:::c/x')).toBe(false);
  });

  it('tells wildcards from policy variables', () => {
    expect(hasPatternWildcard('arn:aws:s3:::b/${aws:username}')).toBe(false);
    expect(hasPatternWildcard('arn:aws:s3:::b/?')).toBe(true);
  });
});
