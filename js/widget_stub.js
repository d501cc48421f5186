// @ts-check
// What every dlwidgets anywidget sends as its `_esm`, with each widget, so written as short as it reads
// (assets.asset sends the shorter of this and esbuild's copy). anywidget calls a module's default export
// when it is a function and takes the widget definition it resolves to: here the page's loader
// (shared_module.js, `dlwidgets2` in js/globals.d.ts), which the kernel's Loader model installs. A saved
// notebook may have the page make that model after the widget's, hence the wait: 4 ms, doubling, about 4 s
// in all, then a clear error.
export default async()=>{for(let t=4;!self.dlwidgets2;t*=2)await new Promise((r,j)=>t>4e3?j(Error("dlwidgets: the page has no loader")):setTimeout(r,t));return dlwidgets2}
