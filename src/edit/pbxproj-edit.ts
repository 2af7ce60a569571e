// Formatting-preserving edits of project.pbxproj: add a source file to a target that lists its
// files (no synchronized folder), and add a build setting to a target's configurations.
// Every edit is a splice at positions from the parser, in the tab layout Xcode writes.

import { createHash } from 'node:crypto';
import { pbxGet, pbxString, pbxStrings, type PbxArray, type PbxDict, type PbxProject, type PbxValue } from '../parse/pbxproj.js';
import { pbxprojString } from '../scaffold/escape.js';
import { eolOf, indentAt, type TextEdit } from './text-edit.js';

export class PbxEditError extends Error {}

function newId(seed: string, taken: (id: string) => boolean): string {
  for (let n = 0; ; n++) {
    const id = createHash('sha1').update(`${seed}#${n}`).digest('hex').slice(0, 24).toUpperCase();
    if (!taken(id)) return id;
  }
}

/** Quote a pbxproj string only when Xcode would. */
function pbxValue(s: string): string {
  return /^[A-Za-z0-9_$/:.-]+$/.test(s) ? s : `"${pbxprojString(s)}"`;
}

/** Offset just after the `;` that ends the dictionary entry whose value ends at `valueEnd`. */
function afterEntry(text: string, valueEnd: number): number {
  const semi = text.indexOf(';', valueEnd);
  if (semi < 0) throw new PbxEditError('malformed entry end');
  return semi + 1;
}

function lastObjectOfIsa(pbx: PbxProject, isa: string): { id: string; obj: PbxDict } | null {
  let best: { id: string; obj: PbxDict } | null = null;
  for (const [id, obj] of pbx.objects) {
    if (pbxString(obj, 'isa') === isa && (!best || obj.loc.end > best.obj.loc.end)) best = { id, obj };
  }
  return best;
}

function insertArrayItem(text: string, arr: PbxArray, item: string): TextEdit {
  const eol = eolOf(text);
  const close = arr.loc.end - 1; // the `)`
  if (text[close] !== ')') throw new PbxEditError('array end not where the parser said');
  const first = arr.items[0];
  const closeIndent = indentAt(text, close);
  const itemIndent = first ? indentAt(text, first.loc.start) : `${closeIndent}\t`;
  const lineStart = close - closeIndent.length;
  if (text.slice(lineStart, close).trim() === '' && lineStart > 0) {
    return { start: lineStart, end: lineStart, text: `${itemIndent}${item},${eol}` };
  }
  return { start: close, end: close, text: `${eol}${itemIndent}${item},${eol}${closeIndent}` };
}

export interface AddSourceResult {
  edits: TextEdit[];
  fileRefId: string;
}

/**
 * Add `fileName` (a file in the same folder as `besideFileRefId`'s file) to the group holding that
 * reference and to the target's Sources phase. Returns null when the project's shape is not one we
 * can edit safely; the caller then prints the manual step instead.
 */
export function addSourceFile(pbx: PbxProject, text: string, targetId: string, besideFileRefId: string, fileName: string): AddSourceResult | null {
  const target = pbx.objects.get(targetId);
  if (!target) return null;
  const phaseId = pbxStrings(pbxGet(target, 'buildPhases')).find((id) => pbxString(pbx.objects.get(id), 'isa') === 'PBXSourcesBuildPhase');
  const phase = phaseId ? pbx.objects.get(phaseId) : undefined;
  const phaseFiles = pbxGet(phase, 'files');
  if (!phase || phaseFiles?.type !== 'array') return null;

  let group: PbxDict | undefined;
  for (const obj of pbx.objects.values()) {
    const isa = pbxString(obj, 'isa');
    if ((isa === 'PBXGroup' || isa === 'PBXVariantGroup') && pbxStrings(pbxGet(obj, 'children')).includes(besideFileRefId)) {
      group = obj;
      break;
    }
  }
  const children = pbxGet(group, 'children');
  if (!group || children?.type !== 'array') return null;

  const lastRef = lastObjectOfIsa(pbx, 'PBXFileReference');
  const lastBuild = lastObjectOfIsa(pbx, 'PBXBuildFile');
  if (!lastRef || !lastBuild) return null;

  const taken = (id: string) => pbx.objects.has(id) || text.includes(id);
  const refId = newId(`ref:${targetId}:${fileName}`, taken);
  const buildId = newId(`build:${targetId}:${fileName}`, (id) => taken(id) || id === refId);
  const eol = eolOf(text);
  const objIndent = (obj: PbxDict) => {
    // The entry's key starts the line: its indentation is the object's.
    return indentAt(text, obj.loc.start);
  };
  const name = pbxValue(fileName);
  const edits: TextEdit[] = [
    {
      start: afterEntry(text, lastBuild.obj.loc.end),
      end: afterEntry(text, lastBuild.obj.loc.end),
      text: `${eol}${objIndent(lastBuild.obj)}${buildId} /* ${fileName} in Sources */ = {isa = PBXBuildFile; fileRef = ${refId} /* ${fileName} */; };`,
    },
    {
      start: afterEntry(text, lastRef.obj.loc.end),
      end: afterEntry(text, lastRef.obj.loc.end),
      text: `${eol}${objIndent(lastRef.obj)}${refId} /* ${fileName} */ = {isa = PBXFileReference; lastKnownFileType = sourcecode.swift; path = ${name}; sourceTree = "<group>"; };`,
    },
    insertArrayItem(text, children, `${refId} /* ${fileName} */`),
    insertArrayItem(text, phaseFiles, `${buildId} /* ${fileName} in Sources */`),
  ];
  return { edits, fileRefId: refId };
}

/** Files of a target's Sources phase as file-reference ids, in order. */
export function sourceFileRefs(pbx: PbxProject, targetId: string): string[] {
  const target = pbx.objects.get(targetId);
  const phaseId = pbxStrings(pbxGet(target, 'buildPhases')).find((id) => pbxString(pbx.objects.get(id), 'isa') === 'PBXSourcesBuildPhase');
  const files = pbxStrings(pbxGet(phaseId ? pbx.objects.get(phaseId) : undefined, 'files'));
  return files.flatMap((bf) => {
    const ref = pbxString(pbx.objects.get(bf), 'fileRef');
    return ref ? [ref] : [];
  });
}

/**
 * Set a build setting in every configuration of a target where it is absent.
 * Existing values are left alone (the user may have chosen them).
 */
export function addBuildSetting(pbx: PbxProject, text: string, targetId: string, name: string, value: string): TextEdit[] {
  const target = pbx.objects.get(targetId);
  const list = pbx.objects.get(pbxString(target, 'buildConfigurationList') ?? '');
  const edits: TextEdit[] = [];
  const eol = eolOf(text);
  for (const id of pbxStrings(pbxGet(list, 'buildConfigurations'))) {
    const settings: PbxValue | undefined = pbxGet(pbx.objects.get(id), 'buildSettings');
    if (settings?.type !== 'dict' || settings.entries.some((e) => e.key === name)) continue;
    const close = settings.loc.end - 1; // the `}`
    if (text[close] !== '}') throw new PbxEditError('settings end not where the parser said');
    const closeIndent = indentAt(text, close);
    const first = settings.entries[0];
    const itemIndent = first ? indentAt(text, first.keyLoc.start) : `${closeIndent}\t`;
    const lineStart = close - closeIndent.length;
    edits.push({ start: lineStart, end: lineStart, text: `${itemIndent}${name} = ${pbxValue(value)};${eol}` });
  }
  return edits;
}
