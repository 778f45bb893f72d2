const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
// Below this, lnΓ is shifted up by the recurrence before Stirling's series is used:
// at 10 the first dropped term, 1/(156·x¹³), is under 1e-15.
const STIRLING_FROM = 10;

/** Stirling's correction lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], for x ≥ STIRLING_FROM. */
function stirlingCorrection(x: number): number {
  const w = 1 / (x * x);
  // Bernoulli-number terms B₂ₖ / (2k(2k−1)x^(2k−1)), k = 1…6, in Horner form.
  return (1 / x) * (1 / 12 + w * (-1 / 360 + w * (1 / 1260 + w * (-1 / 1680 + w * (1 / 1188 + w * (-691 / 360360))))));
}

/**
 * ln Γ(x) for x > 0, to about 1e-15 relative (absolute near the zeros at 1 and 2).
 * Never throws: x ≤ 0 or NaN gives NaN, +∞ gives +∞.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x >= STIRLING_FROM) return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingCorrection(x);
  // Γ(x) = Γ(x + n) / (x(x+1)…(x+n−1)); the product stays well inside double range.
  let product = 1;
  let shifted = x;
  while (shifted < STIRLING_FROM) {
    product *= shifted;
    shifted += 1;
  }
  return logGamma(shifted) - Math.log(product);
}

/** ln|Γ(x)| for any real x that is not 0 or a negative integer (there it is +∞), by reflection below ½. */
export function logAbsGamma(x: number): number {
  if (x >= 0.5) return logGamma(x);
  if (Number.isInteger(x)) return Number.POSITIVE_INFINITY;
  // Γ(x)Γ(1 − x) = π / sin(πx)
  return Math.log(Math.PI / Math.abs(sinPi(x))) - logGamma(1 - x);
}

/** The sign of Γ(x): +1 for x > 0, alternating between the poles below 0 (0 at the poles, where 1/Γ vanishes). */
export function gammaSign(x: number): -1 | 0 | 1 {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return 0;
  // Γ is negative on (−1, 0), (−3, −2), …: where ⌊x⌋ is odd.
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** sin(πx) without the rounding of π·x for large |x|: reduce x to (−1, 1] first. */
function sinPi(x: number): number {
  const r = x - 2 * Math.round(x / 2);
  return Math.sin(Math.PI * r);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0. When the larger
 * argument is big, the two large log-gammas are combined analytically, so
 * ln B(1, 1e10) keeps full precision instead of the 1e-5 a plain difference leaves.
 */
export function logBeta(a: number, b: number): number {
  if (!(a > 0 && b > 0)) return Number.NaN;
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  if (large < STIRLING_FROM) return logGamma(small) + logGamma(large) - logGamma(small + large);
  // lnΓ(large) − lnΓ(large + small) by Stirling, with (large − ½)(ln large − ln(large + small)) as a log1p.
  const sum = small + large;
  const ratioOfLarge =
    -(large - 0.5) * Math.log1p(small / large) - small * Math.log(sum) + small + stirlingCorrection(large) - stirlingCorrection(sum);
  return logGamma(small) + ratioOfLarge;
}

// Above this, ψ's asymptotic series is used; its first dropped term, 1/(132·x¹²)·…, is under 1e-16 at 10.
const DIGAMMA_ASYMPTOTIC_FROM = 10;

/** The digamma function ψ(x) = Γ'(x)/Γ(x) for real x off the poles 0, −1, … (NaN there). */
export function digamma(x: number): number {
  if (Number.isInteger(x) && x <= 0) return Number.NaN;
  // ψ(x) = ψ(1 − x) − π cot(πx) brings negative x to positive ones.
  if (x < 0) return digamma(1 - x) - Math.PI / Math.tan(Math.PI * (x - Math.round(x)));
  let shift = 0;
  while (x < DIGAMMA_ASYMPTOTIC_FROM) {
    shift -= 1 / x;
    x += 1;
  }
  const w = 1 / (x * x);
  // ln x − 1/(2x) − Σ B₂ₖ/(2k x^(2k)), k = 1…5.
  return shift + Math.log(x) - 0.5 / x - w * (1 / 12 - w * (1 / 120 - w * (1 / 252 - w * (1 / 240 - w * (1 / 132)))));
}
