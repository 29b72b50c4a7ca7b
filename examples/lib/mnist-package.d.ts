// The `mnist` package (10,000 real MNIST digits) ships no types; this is the part the examples use.
declare module 'mnist' {
  /** One digit class: `range(a, b)` returns samples a..b inclusive, each 784 grey values in [0, 1]. */
  interface Digit {
    id: number;
    length: number;
    range(start: number, end: number): number[][];
  }
  const digits: Digit[];
  export default digits;
}
