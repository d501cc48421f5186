export default async()=>{for(let t=4;!self.dlwidgets2;t*=2)await new Promise((r,j)=>t>4e3?j(Error("dlwidgets: the page has no loader")):setTimeout(r,t));return dlwidgets2}
