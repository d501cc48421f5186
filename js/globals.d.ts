// The page's globals the ES modules share.

/** The page's loader of dlwidgets' widgets (shared_module.js installs it, widget_stub.js waits for it). */
declare var dlwidgets2: object | undefined;
