// AndroidManifest.xml facts and a simplified manifest merge: the manifests of the app module (its
// build-type / flavour source sets first, then main) take priority over those of its library modules.
// Permissions are a union minus `tools:node="remove"`; components merge attributes by priority and
// union their intent-filter actions; `tools:node="remove"` drops a component, `replace` keeps only the
// declaring manifest's version.

import path from 'node:path';
import type { Location } from '../../findings/finding.js';
import type { Workspace } from '../../parse/workspace.js';
import { attr, childElements, type XmlAttribute, type XmlDocument, type XmlElement } from '../../parse/xml.js';
import type { ComponentDecl, IntentAction, ManifestFile, MergedManifest, PermissionDecl } from './android-model.js';

const ANDROID_NS = 'http://schemas.android.com/apk/res/android';
const TOOLS_NS = 'http://schemas.android.com/tools';

export interface ManifestInput {
  file: string;
  module: string;
  fromApp: boolean;
  /** Fallback package for relative names (the module's Gradle namespace). */
  namespace: string | null;
  applicationId: string | null;
}

interface RawComponent {
  kind: 'service' | 'receiver';
  rawName: string;
  name: string;
  el: XmlElement;
  file: string;
  module: string;
  fromApp: boolean;
  toolsNode: string | null;
  attrs: Map<string, XmlAttribute>;
  actions: IntentAction[];
  hasIntentFilter: boolean;
}

function loc(file: string, el: XmlElement | XmlAttribute): Location {
  return { file, line: el.start.line, column: el.start.column };
}

/** Prefixes bound to the android and tools namespaces on the root element (android:/tools: by default). */
function prefixes(doc: XmlDocument): { android: string; tools: string } {
  let android = 'android';
  let tools = 'tools';
  for (const a of doc.root.attributes) {
    if (!a.name.startsWith('xmlns:')) continue;
    if (a.value === ANDROID_NS) android = a.name.slice(6);
    if (a.value === TOOLS_NS) tools = a.name.slice(6);
  }
  return { android, tools };
}

/** Resolve a manifest class name: `.x.Y` and `Y` are relative to the package; dotted names are absolute. */
export function resolveClassName(raw: string, pkg: string | null, applicationId: string | null): string {
  let name = raw.trim();
  if (applicationId) name = name.replace(/\$\{applicationId\}/g, applicationId);
  if (!pkg) return name.replace(/^\./, '');
  if (name.startsWith('.')) return pkg + name;
  if (!name.includes('.')) return `${pkg}.${name}`;
  return name;
}

export function mergeManifests(ws: Workspace, inputs: ManifestInput[]): MergedManifest {
  const files: ManifestFile[] = [];
  const permissions = new Map<string, PermissionDecl[]>();
  const removedPermissions = new Map<string, Location>();
  const components: RawComponent[] = [];

  for (const input of inputs) {
    const doc = ws.xml(input.file);
    if (!doc || doc.root.name !== 'manifest') continue;
    const { android, tools } = prefixes(doc);
    const a = (el: XmlElement, local: string) => attr(el, `${android}:${local}`);
    const toolsNode = (el: XmlElement) => attr(el, `${tools}:node`)?.value ?? null;
    const pkgAttr = attr(doc.root, 'package')?.value?.trim() || null;
    const packageName = pkgAttr ?? input.namespace;
    const rel = path.relative(input.module, input.file).split(path.sep);
    files.push({
      file: input.file,
      module: input.module,
      fromApp: input.fromApp,
      sourceSet: rel[0] === 'src' && rel.length > 2 ? rel[1]! : '',
      packageName,
      location: loc(input.file, doc.root),
    });

    for (const el of childElements(doc.root)) {
      if (el.name !== 'uses-permission' && el.name !== 'uses-permission-sdk-23') continue;
      const nameAttr = a(el, 'name');
      if (!nameAttr?.value) continue;
      const name = nameAttr.value.trim();
      if (toolsNode(el) === 'remove') {
        if (!removedPermissions.has(name)) removedPermissions.set(name, loc(input.file, el));
        continue;
      }
      const list = permissions.get(name) ?? [];
      list.push({ name, location: loc(input.file, el), module: input.module, fromApp: input.fromApp });
      permissions.set(name, list);
    }

    for (const app of childElements(doc.root, 'application')) {
      for (const el of childElements(app)) {
        if (el.name !== 'service' && el.name !== 'receiver') continue;
        const nameAttr = a(el, 'name');
        if (!nameAttr?.value) continue;
        const attrs = new Map<string, XmlAttribute>();
        for (const at of el.attributes) {
          if (at.name.startsWith(`${android}:`)) attrs.set(at.name.slice(android.length + 1), at);
        }
        const actions: IntentAction[] = [];
        let hasIntentFilter = false;
        for (const filter of childElements(el, 'intent-filter')) {
          hasIntentFilter = true;
          for (const action of childElements(filter, 'action')) {
            const n = a(action, 'name');
            if (n?.value) actions.push({ name: n.value.trim(), location: loc(input.file, action) });
          }
        }
        components.push({
          kind: el.name,
          rawName: nameAttr.value,
          name: resolveClassName(nameAttr.value, packageName, input.applicationId),
          el,
          file: input.file,
          module: input.module,
          fromApp: input.fromApp,
          toolsNode: toolsNode(el),
          attrs,
          actions,
          hasIntentFilter,
        });
      }
    }
  }

  for (const name of removedPermissions.keys()) permissions.delete(name);

  const merged = (kind: 'service' | 'receiver'): ComponentDecl[] => {
    const byName = new Map<string, RawComponent[]>();
    for (const c of components) {
      if (c.kind !== kind) continue;
      const list = byName.get(c.name) ?? [];
      list.push(c);
      byName.set(c.name, list);
    }
    const out: ComponentDecl[] = [];
    for (const [name, declsAll] of byName) {
      if (declsAll.some((d) => d.toolsNode === 'remove' || d.toolsNode === 'removeAll')) continue;
      const replaceAt = declsAll.findIndex((d) => d.toolsNode === 'replace');
      const decls = replaceAt >= 0 ? declsAll.slice(0, replaceAt + 1) : declsAll;
      const first = decls[0]!;
      const pick = (local: string): { value: string; location: Location } | null => {
        for (const d of decls) {
          const at = d.attrs.get(local);
          if (at) return { value: at.value, location: loc(d.file, at) };
        }
        return null;
      };
      const type = pick('foregroundServiceType');
      const exported = pick('exported');
      const enabled = pick('enabled');
      const actions: IntentAction[] = [];
      for (const d of decls) for (const act of d.actions) if (!actions.some((x) => x.name === act.name)) actions.push(act);
      out.push({
        kind,
        rawName: first.rawName,
        name,
        location: loc(first.file, first.el),
        declarations: decls.map((d) => loc(d.file, d.el)),
        foregroundServiceTypes: type
          ? type.value
              .split('|')
              .map((s) => s.trim())
              .filter(Boolean)
          : null,
        foregroundServiceTypeLocation: type?.location,
        exported: exported?.value.trim() ?? null,
        exportedLocation: exported?.location,
        enabled: enabled?.value.trim() ?? null,
        actions,
        hasIntentFilter: decls.some((d) => d.hasIntentFilter),
        module: first.module,
        fromApp: first.fromApp,
      });
    }
    return out;
  };

  const appFiles = files.filter((f) => f.fromApp);
  const appMain = appFiles.find((f) => f.sourceSet === 'main') ?? appFiles[0] ?? null;
  return {
    files,
    permissions,
    removedPermissions,
    services: merged('service'),
    receivers: merged('receiver'),
    appManifest: appMain ? appMain.location : null,
  };
}
