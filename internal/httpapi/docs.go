package httpapi

// docsPage is a self-contained API reference: it reads the OpenAPI document
// and lists every operation with its permission, parameters and schemas. It
// loads nothing from other hosts, so it works on a closed network.
const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Campus Charge API reference</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1f2328}
header{background:#0b6e4f;color:#fff;padding:16px 24px}header a{color:#fff}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
details{border:1px solid #d0d7de;border-radius:6px;margin:8px 0}
summary{cursor:pointer;padding:8px 12px;display:flex;gap:12px;align-items:center}
.m{font-weight:700;width:64px;text-transform:uppercase}.get{color:#0969da}.post{color:#1a7f37}.put{color:#9a6700}.delete{color:#cf222e}.patch{color:#8250df}
.p{font-family:ui-monospace,monospace}.perm{margin-left:auto;font-size:12px;background:#eef;border-radius:10px;padding:0 8px}
.body{padding:0 12px 12px}pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px}
h2{margin-top:24px;text-transform:capitalize}
</style></head><body>
<header><h1 style="margin:0">Campus Charge API</h1><div>OpenAPI 3.1: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> · <a href="/api/v1/openapi.yaml">YAML</a></div></header>
<main><p id="desc"></p><div id="ops">Loading…</div></main>
<script>
fetch('/api/v1/openapi.json').then(r=>r.json()).then(doc=>{
  document.getElementById('desc').textContent=doc.info.description||'';
  const byTag={};
  for(const [path,item] of Object.entries(doc.paths||{})){
    for(const [method,op] of Object.entries(item)){
      const tag=(op.tags&&op.tags[0])||'other';(byTag[tag]=byTag[tag]||[]).push({path,method,op});
    }
  }
  const resolve=s=>s&&s.$ref?doc.components.schemas[s.$ref.split('/').pop()]:s;
  const out=document.getElementById('ops');out.textContent='';
  for(const tag of Object.keys(byTag).sort()){
    const h=document.createElement('h2');h.textContent=tag;out.appendChild(h);
    for(const {path,method,op} of byTag[tag]){
      const d=document.createElement('details');const s=document.createElement('summary');
      s.innerHTML='<span class="m '+method+'"></span><span class="p"></span><span></span><span class="perm"></span>';
      s.children[0].textContent=method;s.children[1].textContent=path;s.children[2].textContent=op.summary||'';
      s.children[3].textContent=op['x-permission']||'';d.appendChild(s);
      const b=document.createElement('div');b.className='body';
      const parts=[];if(op.description)parts.push(op.description);
      if(op.parameters)parts.push('Parameters:\n'+op.parameters.map(p=>'  '+p.in+' '+p.name+(p.required?' (required)':'')+': '+JSON.stringify(p.schema)).join('\n'));
      const rb=op.requestBody&&op.requestBody.content&&op.requestBody.content['application/json'];
      if(rb)parts.push('Request body:\n'+JSON.stringify(resolve(rb.schema),null,2));
      for(const [code,r] of Object.entries(op.responses||{})){
        const c=r.content&&(r.content['application/json']||r.content['application/problem+json']);
        parts.push('Response '+code+': '+(r.description||'')+(c?'\n'+JSON.stringify(resolve(c.schema),null,2):''));
      }
      const pre=document.createElement('pre');pre.textContent=parts.join('\n\n');b.appendChild(pre);d.appendChild(b);out.appendChild(d);
    }
  }
});
</script></body></html>`
