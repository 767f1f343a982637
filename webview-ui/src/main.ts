// The results webview (browser bundle). Filled in by the benchmarks/webview work.
document.body.dataset.hotloop = 'ready';
