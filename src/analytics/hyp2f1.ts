import { digamma, gammaSign, logAbsGamma } from './log-gamma.js';

const EPSILON = 1e-16;
// Above this z the plain series needs hundreds of terms; the 1 − z transformation needs ~15.
const SERIES_UP_TO = 0.9;
// Closer than this to an integer, c − a − b makes the 1 − z transformation's two terms
// cancel (each grows like 1/distance); the series, slow but exact there, is used instead.
const NEAR_INTEGER = 1e-5;
const MAX_TERMS = 5_000_000;

/**
 * The Gaussian hypergeometric function ₂F₁(a, b; c; z) for real arguments and z ≤ 1
 * (z = 1 only where Gauss's sum converges, c − a − b > 0), to about 1e-13 relative
 * away from cancellation in the function itself.
 *
 * - 0 ≤ z ≤ 0.9: the defining series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ.
 * - z < 0: Pfaff's transformation ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z/(z − 1)),
 *   which maps every negative z into (0, 1).
 * - 0.9 < z < 1: the connection formula to 1 − z (two series in 1 − z with Γ-function weights);
 *   when c − a − b is an integer its limit, with logarithms and digammas; when it is within
 *   1e-5 of one (but not one), where both lose digits, the series summed to the end (slow as z → 1).
 *
 * Never throws; c a pole (0, −1, …) without a cancelling a or b, or z > 1, gives NaN.
 *
 * @example hyp2f1(1, 1, 2, 0.5) // = −ln(1 − 0.5)/0.5 = 1.3862943611198906
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite) || z > 1) return Number.NaN;
  if (z === 0 || a === 0 || b === 0) return 1;
  // (a)ₙ vanishes for n > −a when a is 0, −1, …: the series is then a polynomial, fine for any z.
  if (isPole(a) || isPole(b)) return summedSeries(a, b, c, z);
  if (isPole(c)) return Number.NaN;
  if (z < 0) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, z / (z - 1));
  if (z === 1) return c - a - b > 0 ? gammaRatio([c, c - a - b], [c - a, c - b]) : Number.NaN;
  if (z <= SERIES_UP_TO) return summedSeries(a, b, c, z);
  const gap = c - a - b;
  // Euler's transformation F(a,b;c;z) = (1−z)^(c−a−b) F(c−a, c−b; c; z) turns a negative integer gap into a positive one.
  if (Number.isInteger(gap)) return gap >= 0 ? aroundOneIntegerGap(a, b, gap, z) : Math.pow(1 - z, gap) * aroundOneIntegerGap(c - a, c - b, -gap, z);
  if (isNearInteger(gap)) return summedSeries(a, b, c, z);
  return aroundOne(a, b, c, z);
}

/**
 * Abramowitz & Stegun 15.3.6:
 * F(a,b;c;z) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) F(a, b; a+b−c+1; 1−z)
 *            + (1−z)^(c−a−b) Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) F(c−a, c−b; c−a−b+1; 1−z).
 */
function aroundOne(a: number, b: number, c: number, z: number): number {
  const w = 1 - z;
  const gap = c - a - b;
  const first = gammaRatio([c, gap], [c - a, c - b]);
  const second = gammaRatio([c, -gap], [a, b]);
  const firstPart = first === 0 ? 0 : first * summedSeries(a, b, 1 - gap, w);
  const secondPart = second === 0 ? 0 : Math.pow(w, gap) * second * summedSeries(c - a, c - b, gap + 1, w);
  return firstPart + secondPart;
}

/**
 * F(a, b; a+b+m; z) for a whole m ≥ 0 near z = 1 (DLMF 15.8.10, times Γ(a+b+m)), with w = 1 − z:
 *   Γ(c)/(Γ(a+m)Γ(b+m)) Σ_{k<m} (a)ₖ(b)ₖ (m−k−1)!/k! (−w)^k
 *   − (−w)^m Γ(c)/(Γ(a)Γ(b)) Σ_{k≥0} (a+m)ₖ(b+m)ₖ/(k!(k+m)!) w^k [ln w − ψ(k+1) − ψ(k+m+1) + ψ(a+k+m) + ψ(b+k+m)].
 * The digammas step by ψ(x+1) = ψ(x) + 1/x.
 */
function aroundOneIntegerGap(a: number, b: number, m: number, z: number): number {
  const w = 1 - z;
  const c = a + b + m;
  let finite = 0;
  const finiteWeight = gammaRatio([c], [a + m, b + m]);
  if (finiteWeight !== 0) {
    let pochhammer = 1; // (a)ₖ(b)ₖ/k! · (−w)^k
    let factorial = 1; // (m−k−1)!
    for (let j = 1; j < m; j++) factorial *= j;
    for (let k = 0; k < m; k++) {
      finite += pochhammer * factorial;
      pochhammer *= ((a + k) * (b + k) * -w) / (k + 1);
      factorial /= Math.max(1, m - k - 1);
    }
    finite *= finiteWeight;
  }
  const logWeight = gammaRatio([c], [a, b]);
  if (logWeight === 0) return finite;
  let mFactorial = 1;
  for (let j = 2; j <= m; j++) mFactorial *= j;
  let term = 1 / mFactorial; // (a+m)ₖ(b+m)ₖ/(k!(k+m)!) w^k
  let psi = -digamma(1) - digamma(m + 1) + digamma(a + m) + digamma(b + m);
  const logW = Math.log(w);
  let sum = 0;
  for (let k = 0; k < MAX_TERMS; k++) {
    const contribution = term * (logW + psi);
    sum += contribution;
    if (k > m + Math.abs(a) + Math.abs(b) && Math.abs(contribution) <= EPSILON * Math.abs(sum)) break;
    psi += -1 / (k + 1) - 1 / (k + m + 1) + 1 / (a + k + m) + 1 / (b + k + m);
    term *= ((a + m + k) * (b + m + k) * w) / ((k + 1) * (k + m + 1));
  }
  return finite - Math.pow(-w, m) * logWeight * sum;
}

/** The series summed until the rest is below EPSILON of the sum (or it terminates). */
function summedSeries(a: number, b: number, c: number, z: number): number {
  // Past this index every factor (a+n), (b+n), (c+n) keeps its sign, so the terms do
  // too, and their ratio settles towards z: the tail is then bounded by a geometric series.
  const settledFrom = Math.max(0, -a, -b, -c) + 1;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    if (n >= settledFrom) {
      const bound = Math.max(Math.abs(ratio), Math.abs(z));
      if (bound < 1 && Math.abs(term) * (bound / (1 - bound)) <= EPSILON * Math.abs(sum)) return sum;
    }
  }
  return sum;
}

/** Π Γ(numerator) / Π Γ(denominator), with signs; 0 when a denominator argument is a pole. */
function gammaRatio(numerator: number[], denominator: number[]): number {
  if (denominator.some(isPole)) return 0;
  let logMagnitude = 0;
  let sign = 1;
  for (const x of numerator) {
    logMagnitude += logAbsGamma(x);
    sign *= gammaSign(x);
  }
  for (const x of denominator) {
    logMagnitude -= logAbsGamma(x);
    sign *= gammaSign(x);
  }
  return sign * Math.exp(logMagnitude);
}

/** A pole of Γ: 0, −1, −2, … */
function isPole(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

function isNearInteger(x: number): boolean {
  return Math.abs(x - Math.round(x)) < NEAR_INTEGER;
}
