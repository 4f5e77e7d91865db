import { loadAdminSchema } from './lib/shopify/schema';
import { isObjectType, isInputObjectType, isEnumType } from 'graphql';
const s = loadAdminSchema();
for (const n of process.argv.slice(2)) {
  const t:any = s.getType(n);
  if (isEnumType(t)) { console.log(n, t.getValues().map((v:any)=>v.name).join(' ')); continue; }
  console.log(n+':', Object.values(t.getFields()).map((f:any)=>`${f.name}${f.args?.length?'('+f.args.map((a:any)=>a.name).join(',')+')':''}:${f.type}${f.deprecationReason?'[DEP]':''}`).join('  '));
}
