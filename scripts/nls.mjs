// node scripts/nls.mjs: moves the manifest's user-facing English (command titles, view names, welcome texts,
// setting descriptions, the walkthrough) out of package.json into package.nls.json as %key% references, so
// that package.nls.nb.json can translate them. Idempotent: strings already %key% are left alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const nls = existsSync('package.nls.json') ? JSON.parse(readFileSync('package.nls.json', 'utf8')) : {};
const c = manifest.contributes;
const put = (obj, field, key) => {
  const value = obj?.[field];
  if (typeof value !== 'string' || /^%[^%]+%$/.test(value)) return;
  nls[key] = value;
  obj[field] = `%${key}%`;
};
put(manifest, 'displayName', 'displayName');
put(manifest, 'description', 'description');
for (const cmd of c.commands) put(cmd, 'title', `${cmd.command}.title`);
for (const container of Object.values(c.viewsContainers ?? {})) for (const v of container) put(v, 'title', `viewsContainer.${v.id}.title`);
for (const v of Object.values(c.views).flat()) {
  put(v, 'name', `view.${v.id}.name`);
  put(v, 'contextualTitle', 'view.contextualTitle');
}
c.viewsWelcome.forEach((w, i) => put(w, 'contents', `viewsWelcome.${w.view}.${c.viewsWelcome.slice(0, i).filter((o) => o.view === w.view).length}`));
for (const [key, p] of Object.entries(c.configuration.properties)) {
  put(p, 'markdownDescription', `config.${key}.description`);
  put(p, 'description', `config.${key}.description`);
  (p.enumDescriptions ?? []).forEach((_, i) => put(p.enumDescriptions, i, `config.${key}.enum.${i}`));
  (p.markdownEnumDescriptions ?? []).forEach((_, i) => put(p.markdownEnumDescriptions, i, `config.${key}.enum.${i}`));
}
for (const w of c.walkthroughs ?? []) {
  put(w, 'title', `walkthrough.${w.id}.title`);
  put(w, 'description', `walkthrough.${w.id}.description`);
  for (const s of w.steps) {
    put(s, 'title', `walkthrough.${s.id}.title`);
    put(s, 'description', `walkthrough.${s.id}.description`);
    put(s.media, 'altText', `walkthrough.${s.id}.altText`);
  }
}
for (const sub of c.submenus ?? []) put(sub, 'label', `submenu.${sub.id}.label`);
const sorted = Object.fromEntries(Object.entries(nls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
writeFileSync('package.json', JSON.stringify(manifest, null, 2) + '\n');
writeFileSync('package.nls.json', JSON.stringify(sorted, null, 2) + '\n');
console.log(`package.nls.json: ${Object.keys(sorted).length} strings`);
