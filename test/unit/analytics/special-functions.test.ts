import { describe, expect, it } from 'vitest';
import { hyp2f1 } from '../../../src/analytics/hyp2f1.js';
import { digamma, gammaSign, logAbsGamma, logBeta, logGamma } from '../../../src/analytics/log-gamma.js';

// Reference values from mpmath (loggamma, log(beta), hyp2f1) at 40 significant digits, rounded to 20.

/** |actual − expected| within `relative` of |expected| (or absolutely, where expected is 0). */
function expectClose(actual: number, expected: number, relative: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(Math.abs(expected), 1e-300) + (expected === 0 ? relative : 0));
}

describe('logGamma', () => {
  it.each([
    [1e-10, 23.025850929882735274],
    [0.5, 0.57236494292470008707],
    [2.5, 0.28468287047291915963],
    [9.99, 12.77931521435019288], // just below the switch to Stirling's series
    [10, 12.801827480081469611], // just at it
    [123.456, 469.60554712992946873],
    [1e6, 12815504.56914761166],
    [1e15, 33538776394910668.91],
  ])('lnΓ(%s)', (x, expected) => expectClose(logGamma(x), expected, 1e-13));

  it('is 0 at its zeros 1 and 2 to within 1e-14 absolutely', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
  });

  it('gives NaN, not a number that looks right, outside x > 0', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1.5)).toBeNaN();
  });

  it('reflects below ½: Γ(−0.5) = −2√π, Γ(−1.5) = 4√π/3', () => {
    expectClose(logAbsGamma(-0.5), Math.log(2 * Math.sqrt(Math.PI)), 1e-14);
    expect(gammaSign(-0.5)).toBe(-1);
    expectClose(logAbsGamma(-1.5), Math.log((4 * Math.sqrt(Math.PI)) / 3), 1e-14);
    expect(gammaSign(-1.5)).toBe(1);
    expect(logAbsGamma(-2)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('digamma', () => {
  it.each([
    [1, -0.57721566490153286061],
    [0.001, -1000.5755719318102797],
    [-0.5, 0.036489973978576520559],
    [-2.25, 4.1585835646579722748],
    [7.5, 1.9467574842460867881],
    [1e6, 13.815510057964190771],
  ])('ψ(%s)', (x, expected) => expectClose(digamma(x), expected, 1e-12));

  it('is NaN at its poles', () => expect(digamma(-3)).toBeNaN());
});

describe('logBeta', () => {
  it.each([
    [1, 1e10, -23.02585092994045684], // a plain difference of log-gammas keeps only ~6 digits here
    [0.5, 0.5, 1.1447298858494001741],
    [3.7, 1234.5, -24.914129196708026058],
    [1e-8, 2, 18.420680733952365522],
    [500, 700, -816.95057018565839435],
  ])('ln B(%s, %s)', (a, b, expected) => {
    expectClose(logBeta(a, b), expected, 1e-12);
    expectClose(logBeta(b, a), expected, 1e-12);
  });
});

describe('hyp2f1', () => {
  it.each([
    [0.5, 0.5, 1.5, 0.25, 1.0471975511965977462], // = arcsin(½)/½
    [2.3, 1.7, 4.1, 0.5, 1.8473859210151261702],
    [0.7, 1.2, 0.4, 0.5, 3.7020881169333390028], // c < a, b
    [1.1, 0.8, -0.3, 0.3, -1.2134651630356955224], // c negative, not a pole
    [1.5, 2.5, 3.5, 0.95, 13.925720900108687889], // z near 1, c − a − b = −0.5: the 1 − z transformation
    [11.2, 1.6, 12.2, 0.95, 44.01242105399893094], // Pareto/NBD's shape: c = a + 1
    [0.2428, 2.4258, 2.2187, 78 / (4.414 + 78), 2.3885837939426785506], // BG/NBD's E[X(78)] for CDNOW
    [0.3, 0.6, 1.9, 0.999, 1.1978842686825588861], // converges at z = 1 (c − a − b = 1)
    [2, 3, 5, 0.97, 17.314967749382444668], // c − a − b = 0: logarithmic at 1, summed as a series
    [1.5, 2.5, 4, 0.97, 9.7847348610851569399],
    [1.5, 2, 3.5000001, 0.95, 6.5711763842251507152], // c − a − b within 1e-7 of an integer
    [1, 1, 2, 0.9999, 9.2112614981261053793], // = −ln(1 − z)/z
    [0.5, 1, 1.5, -0.8, 0.81586032219254723925], // = arctan(√0.8)/√0.8: Pfaff's transformation
    [1.2, 2.3, 3.7, -5, 0.20983488625733999464],
    [0.8, 1.6, 2.2, -1000, 0.0063940331144277017423], // Pfaff lands near 1: both transformations
    [3, -2, 1.5, 0.7, -0.232], // b a negative integer: a polynomial
    [1.5, 0.5, 4, 0.99999, 1.3581119970543670933], // c − a − b = 2 exactly: the logarithmic limit
    [0.25, 0.75, 3, 0.95, 1.0884925229222366138],
    [2.5, 1.5, 3, 0.99999, 169751.75203168967501], // c − a − b = −1: Euler's transformation, then the limit
    [1.25, 1.5, 1.75, 0.999, 1143.1455544939011154], // c − a − b = −1 with fractions that add up exactly
  ])('₂F₁(%s, %s; %s; %s)', (a, b, c, z, expected) => expectClose(hyp2f1(a, b, c, z), expected, 1e-10));

  it('agrees with closed forms over the whole of (−∞, 1)', () => {
    for (const z of [-50, -3, -0.99, -0.2, 0.1, 0.5, 0.89, 0.91, 0.99, 0.999999]) {
      expectClose(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-11); // c − a − b = 0
      expectClose(hyp2f1(2.7, 1.3, 1.3, z), Math.pow(1 - z, -2.7), 1e-11); // b = c
    }
  });

  it('is 1 at z = 0 and Gauss’s sum at z = 1', () => {
    expect(hyp2f1(0.3, 0.4, 0.5, 0)).toBe(1);
    // ₂F₁(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)); with a = b = ½, c = 2: Γ(2)Γ(1)/Γ(3/2)² = 4/π.
    expectClose(hyp2f1(0.5, 0.5, 2, 1), 4 / Math.PI, 1e-13);
  });

  it('gives NaN where it is not defined, never a wrong number', () => {
    expect(hyp2f1(1, 1, 2, 1)).toBeNaN(); // diverges at 1
    expect(hyp2f1(1, 1, -2, 0.5)).toBeNaN(); // c a pole
    expect(hyp2f1(1, 1, 2, 1.5)).toBeNaN();
  });
});
