// How numbers are written on the page: the same in both languages (decimal points).

/** `digits` significant digits: 0.7549679, -3.432179e-5; a missing number is a dash. */
export function significant(x, digits) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-4 && magnitude < 1e6) return x.toPrecision(digits);
  return x.toExponential(digits - 1);
}

/** A small error or step in scientific form: 3.43e-5. */
export function scientific(x, digits = 3) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (x === 0) return "0";
  return x.toExponential(digits - 1);
}

/** As draw_dot writes a node's numbers (four significant digits, compact): 2, -1.5, 0.7071. */
export function compact(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (x === 0) return "0";
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-4 && magnitude < 1e5) return String(Number(x.toPrecision(4)));
  return x.toExponential(3).replace(/\.?0+e/, "e");
}

/** The step h, from its base-10 exponent: 1e-3, 3.16e-5. */
export function step(exponent) {
  const h = 10 ** exponent;
  return Number.isInteger(exponent) ? `1e${exponent}` : h.toExponential(2);
}

/** A fraction as a percentage: 83%. */
export function percent(x) {
  return Number.isFinite(x) ? `${Math.round(100 * x)}%` : "—";
}
