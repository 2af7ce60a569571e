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

function objectsOfIsa(pbx: PbxProject, isa: string): { id: string; obj: PbxDict }[] {
  const out: { id: string; obj: PbxDict }[] = [];
  for (const [id, obj] of pbx.objects) if (pbxString(obj, 'isa') === isa) out.push({ id, obj });
  return out.sort((a, b) => a.obj.loc.start - b.obj.loc.start);
}

/**
 * Where Xcode itself would put a new object: its section lists objects sorted by id, so the new
 * entry goes before the first one with a greater id (or after the last). Returns the edit offset
 * and whether the new line comes before (true) or after (false) that neighbour.
 */
function objectInsertion(text: string, pbx: PbxProject, isa: string, id: string, line: (indent: string) => string): TextEdit | null {
  const list = objectsOfIsa(pbx, isa);
  if (!list.length) return null;
  const eol = eolOf(text);
  const next = list.find((o) => o.id > id);
  if (next) {
    const lineStart = text.lastIndexOf('\n', next.obj.loc.start) + 1;
    const indent = indentAt(text, next.obj.loc.start);
    return { start: lineStart, end: lineStart, text: `${line(indent)}${eol}` };
  }
  const last = list[list.length - 1]!;
  const at = afterEntry(text, last.obj.loc.end);
  return { start: at, end: at, text: `${eol}${line(indentAt(text, last.obj.loc.start))}` };
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

  const taken = (id: string) => pbx.objects.has(id) || text.includes(id);
  const refId = newId(`ref:${targetId}:${fileName}`, taken);
  const buildId = newId(`build:${targetId}:${fileName}`, (id) => taken(id) || id === refId);
  const name = pbxValue(fileName);
  const buildEdit = objectInsertion(text, pbx, 'PBXBuildFile', buildId, (indent) => `${indent}${buildId} /* ${fileName} in Sources */ = {isa = PBXBuildFile; fileRef = ${refId} /* ${fileName} */; };`);
  const refEdit = objectInsertion(
    text,
    pbx,
    'PBXFileReference',
    refId,
    (indent) => `${indent}${refId} /* ${fileName} */ = {isa = PBXFileReference; lastKnownFileType = sourcecode.swift; path = ${name}; sourceTree = "<group>"; };`,
  );
  if (!buildEdit || !refEdit) return null;
  const edits: TextEdit[] = [
    buildEdit,
    refEdit,
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
    // Xcode keeps build settings sorted by name: the new one goes before the first greater name.
    const nextEntry = settings.entries.find((e) => e.key > name);
    const lineStart = nextEntry ? text.lastIndexOf('\n', nextEntry.keyLoc.start) + 1 : close - closeIndent.length;
    edits.push({ start: lineStart, end: lineStart, text: `${itemIndent}${name} = ${pbxValue(value)};${eol}` });
  }
  return edits;
}

/**
 * Keep a file in an Xcode 16 synchronized folder out of a target's build (as Xcode does for
 * Info.plist and .entitlements files): add it to the target's membership exception set of that
 * folder, creating the set when the folder has none for the target. `relPath` is relative to the
 * synchronized folder. Returns null when the project's shape is not one we can edit safely.
 */
export function addSyncedMembershipException(pbx: PbxProject, text: string, targetId: string, groupId: string, relPath: string): TextEdit[] | null {
  const group = pbx.objects.get(groupId);
  if (!group || pbxString(group, 'isa') !== 'PBXFileSystemSynchronizedRootGroup') return null;
  const target = pbx.objects.get(targetId);
  const targetName = pbxString(target, 'name') ?? '';
  const folderName = pbxString(group, 'path') ?? pbxString(group, 'name') ?? '';
  const item = pbxValue(relPath);
  for (const exId of pbxStrings(pbxGet(group, 'exceptions'))) {
    const ex = pbx.objects.get(exId);
    if (pbxString(ex, 'isa') !== 'PBXFileSystemSynchronizedBuildFileExceptionSet' || pbxString(ex, 'target') !== targetId) continue;
    const list = pbxGet(ex, 'membershipExceptions');
    if (list?.type !== 'array') return null;
    const names = pbxStrings(list);
    if (names.includes(relPath)) return [];
    return [insertSortedArrayItem(text, list, names, relPath, item)];
  }
  // No exception set for this target yet: a new object, referenced from the folder's exceptions.
  const taken = (id: string) => pbx.objects.has(id) || text.includes(id);
  const setId = newId(`exceptions:${targetId}:${groupId}`, taken);
  const comment = `Exceptions for "${folderName}" folder in "${targetName}" target`;
  const eol = eolOf(text);
  const edits: TextEdit[] = [];
  const objectText = (indent: string) =>
    [
      `${indent}${setId} /* ${comment} */ = {`,
      `${indent}\tisa = PBXFileSystemSynchronizedBuildFileExceptionSet;`,
      `${indent}\tmembershipExceptions = (`,
      `${indent}\t\t${item},`,
      `${indent}\t);`,
      `${indent}\ttarget = ${targetId} /* ${targetName} */;`,
      `${indent}};`,
    ].join(eol);
  const placed = objectInsertion(text, pbx, 'PBXFileSystemSynchronizedBuildFileExceptionSet', setId, objectText);
  if (placed) edits.push(placed);
  else {
    const marker = '/* Begin PBXFileSystemSynchronizedRootGroup section */';
    const at = text.indexOf(marker);
    if (at < 0) return null;
    const indent = indentAt(text, group.loc.start);
    const section = [
      '/* Begin PBXFileSystemSynchronizedBuildFileExceptionSet section */',
      objectText(indent),
      '/* End PBXFileSystemSynchronizedBuildFileExceptionSet section */',
      '',
      '',
    ].join(eol);
    edits.push({ start: at, end: at, text: section });
  }
  const exceptions = pbxGet(group, 'exceptions');
  if (exceptions?.type === 'array') {
    edits.push(insertArrayItem(text, exceptions, `${setId} /* ${comment} */`));
  } else {
    // `exceptions` sorts before every other key Xcode writes in a synchronized group except `explicitFileTypes`/`explicitFolders`.
    const entries = group.type === 'dict' ? group.entries : [];
    const before = entries.find((e) => e.key > 'exceptions');
    if (!before) return null;
    const lineStart = text.lastIndexOf('\n', before.keyLoc.start) + 1;
    const indent = indentAt(text, before.keyLoc.start);
    edits.push({ start: lineStart, end: lineStart, text: `${indent}exceptions = (${eol}${indent}\t${setId} /* ${comment} */,${eol}${indent});${eol}` });
  }
  return edits;
}

/** Insert into a list Xcode keeps sorted (membership exceptions), before the first greater name. */
function insertSortedArrayItem(text: string, arr: PbxArray, names: string[], name: string, item: string): TextEdit {
  const index = names.findIndex((n) => n > name);
  const at = index >= 0 ? arr.items[index] : undefined;
  if (!at) return insertArrayItem(text, arr, item);
  const lineStart = text.lastIndexOf('\n', at.loc.start) + 1;
  return { start: lineStart, end: lineStart, text: `${indentAt(text, at.loc.start)}${item},${eolOf(text)}` };
}
