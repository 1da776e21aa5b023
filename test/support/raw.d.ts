// Vite's `?raw` imports (a file's text), which the workerd suites use to read the docs.
declare module "*?raw" {
  const text: string;
  export default text;
}
