// Types for the `mnist` package (10,000 real MNIST digits), used by tests only.
declare module 'mnist' {
  interface Digit {
    /** Number of samples of this digit. */
    length: number;
    /** Sample `i` as 784 values in [0, 1] (28×28, row-major). */
    get(i: number): number[];
  }
  const digits: Digit[];
  export default digits;
}
