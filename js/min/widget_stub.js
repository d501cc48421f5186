var d=async()=>{for(let e=4;!self.dlwidgets1;e*=2)await new Promise((t,r)=>e>4e3?r(Error("dlwidgets: the page has no loader")):setTimeout(t,e));return dlwidgets1};export{d as default};
