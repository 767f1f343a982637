// esbuild bundles CSS imports into dist/webview.css.
declare module '*.css';
