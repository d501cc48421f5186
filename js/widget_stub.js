// @ts-check
/*
 * What every dlwidgets anywidget sends as its `_esm`: anywidget calls a module's default export when it is
 * a function and takes the widget definition it resolves to, here the page's loader (shared_module.js),
 * which the kernel's Loader model installs (a saved notebook may have the page make that model after the
 * widget's, hence the wait).
 */
export default async () => {
  const page = /** @type {{dlwidgets1?: object}} */ (globalThis);
  for (let wait = 4; !page.dlwidgets1; wait *= 2) {
    if (wait > 2048) throw Error("dlwidgets: the page has no loader");
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return page.dlwidgets1;
};
