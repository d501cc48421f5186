var d=async()=>{for(let e=4;!self.dlwidgets2;e*=2)await new Promise((t,r)=>e>4e3?r(Error("dlwidgets: the page has no loader")):setTimeout(t,e));return dlwidgets2};export{d as default};
