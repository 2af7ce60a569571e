// Pause paths of a service, through a call graph of its own code: the class, its project base
// classes, its companion object and the classes and anonymous listeners nested in them. A call is
// on a pause path when what leads to it pauses playback (a player pause, a handled pause action, an
// audio focus loss, a branch taken while paused), in the same function or in a caller that reaches
// it through same-class helpers. The walk is bounded and cycle-safe.

import type { Location } from '../../findings/finding.js';
import type { AndroidApp, Guard, SourceCall, SourceClass, SourceFunction } from './android-model.js';
import { classByName, guardsEnclose, perAppClassCache, projectClass, serviceScope, startForegroundForm } from './queries.js';

/** Calls that stop the service. */
export const STOPS_SERVICE = new Set(['stopSelf', 'stopSelfResult', 'stopService', 'pauseAllPlayersAndStopSelf']);

export interface PausePath {
  /** e.g. "after `player.pause()` in `pause`" — completes "stopForeground(true) ... runs ${why}". */
  why: string;
  /** Where the pause happens (the pause call, the pause action case, the focus-loss branch). */
  pause: { location: Location; message: string } | null;
  /** Helper functions between the pause and the call, outermost first (empty when in the same function). */
  via: string[];
}

const MAX_DEPTH = 5;

// ---- what a call or a branch means ----

const PAUSED = [/^!\(?[\w.?]*is[Pp]laying(\(\))?\)?$/, /is[Pp]laying(\(\))?==false/, /PAUSED/, /\bpaused\b/i, /isPaused/, /^!\(?[\w.?]*playWhenReady(\(\))?\)?$/, /playWhenReady(\(\))?==false/];
const PLAYING = [/^[\w.?]*is[Pp]laying(\(\))?$/, /is[Pp]laying(\(\))?==true/, /^[\w.?]*playWhenReady(\(\))?$/, /STATE_PLAYING$/];

/** Condition text without string literals: an action spelled in a string never decides anything. */
function code(condition: string): string {
  return condition.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\s+/g, '');
}

const pausedCondition = (c: string) => PAUSED.some((r) => r.test(code(c)));
const playingCondition = (c: string) => PLAYING.some((r) => r.test(code(c)));
/** `ACTION_PAUSE`, `KEYCODE_MEDIA_PAUSE`, `PlayerService.ACTION_PAUSE`; not a toggle (`PLAY_PAUSE`). */
const pauseAction = (c: string) => /(^|[^A-Za-z0-9_])[A-Z0-9_]*PAUSE\b/.test(code(c)) && !/PLAY_?PAUSE|PAUSE_?PLAY|TOGGLE|UNPAUSE/.test(code(c));
/** `AUDIOFOCUS_LOSS` / `AUDIOFOCUS_LOSS_TRANSIENT` (ducking keeps playing). */
const focusLoss = (c: string) => /AUDIOFOCUS_LOSS(_TRANSIENT)?\b(?!_)/.test(code(c));
const negated = (c: string) => /!=|^!/.test(code(c));

/** Why a branch means playback is pausing, or null. */
function guardPause(g: Guard): string | null {
  const c = g.condition;
  if (g.branch === 'then' || g.branch === 'case') {
    if (g.branch === 'case' && g.subject && playingCondition(g.subject) && code(c) === 'false') return `in the branch where \`${g.subject}\` is false`;
    if (g.branch === 'then' && pausedCondition(c)) return `in a branch where \`${c}\` holds`;
    if (g.branch === 'case' && pausedCondition(c)) return `in the \`${c}\` case`;
    if (negated(c) && g.branch === 'then') return null;
    if (pauseAction(c)) return g.branch === 'case' ? `when handling \`${c}\`` : `when \`${c}\``;
    if (focusLoss(c)) return `on audio focus loss (\`${c}\`)`;
    return null;
  }
  // else branch
  if (playingCondition(c)) return `in a branch where \`${c}\` is false`;
  if (negated(c) && (pauseAction(c) || focusLoss(c))) return `when \`${c.replace(/!=/, '==').replace(/^!/, '')}\``;
  return null;
}

/**
 * ExoPlayer 2 / Media3 `PlayerNotificationManager.NotificationListener.onNotificationPosted(notificationId,
 * notification, ongoing)`: the manager posts the notification with `ongoing = false` when playback is
 * paused or stopped (its docs: the flag tells whether the service should be in the foreground). The name
 * of that third parameter, when `call` sits in such an override; null otherwise.
 */
function ongoingParam(call: SourceCall): string | null {
  if (call.functionChain[0] !== 'onNotificationPosted' || call.fnParams?.length !== 3) return null;
  return call.fnParams[2]!;
}

/** Why a branch on the `ongoing` flag is the not-ongoing (paused) branch, or null. */
function notOngoing(g: Guard, p: string): string | null {
  const c = code(g.condition).replace(/^\((.*)\)$/, '$1');
  const falseWhen = [`!${p}`, `!(${p})`, `${p}==false`, `false==${p}`, `${p}!=true`, `${p}.not()`];
  const trueWhen = [p, `${p}==true`, `true==${p}`, `${p}!=false`];
  const why = `in the branch of \`onNotificationPosted\` where \`${p}\` is false (the notification manager posts a non-ongoing notification once playback pauses)`;
  if (g.branch === 'then' && falseWhen.includes(c)) return why;
  if (g.branch === 'else' && trueWhen.includes(c)) return why;
  if (g.branch === 'case' && g.subject !== undefined && code(g.subject) === p && c === 'false') return why;
  return null;
}

/** `player.pause()`, `mediaPlayer?.pause()`, `player.setPlayWhenReady(false)`: pausing a player the service holds. */
function pausesPlayer(call: SourceCall): boolean {
  if (call.receiver === null || call.receiver === 'this' || call.receiver === 'super') return false;
  if (call.name === 'pause' && call.args.length === 0) return true;
  if (call.name === 'setPlayWhenReady' && call.args.length === 1) {
    const v = call.args[0]!.value;
    return v.kind === 'bool' && !v.value;
  }
  return false;
}

/** A callback that handles a pause command or event (`MediaSessionCompat.Callback.onPause`, `handlePauseRequest`, `onPlaybackPaused`). */
const PAUSE_HANDLER = /^(on|handle|do)?pause|paused$/i;

// ---- the call graph ----

interface Graph {
  scope: SourceClass[];
  /** Member function of each call that sits in one (a function of a class in scope). */
  memberOf: Map<SourceCall, SourceFunction>;
  functions: Map<string, SourceFunction[]>;
  /** Calls to a scope function by name (bare, `this.`, `super.`, `Outer.this.`, `this@Outer.`). */
  callers: Map<string, SourceCall[]>;
  /** All calls of the scope grouped by their function chain, for "what else runs here". */
  byChain: Map<string, SourceCall[]>;
}

const graphs = perAppClassCache<Graph>();

function selfCall(call: SourceCall): boolean {
  const r = call.receiver;
  return !call.constructor && (r === null || r === 'this' || r === 'super' || /^(\w+\.)*\w+\.this$/.test(r) || /^this@\w+$/.test(r) || /^super@\w+$/.test(r));
}

function chainKey(call: SourceCall): string {
  return call.className + '#' + (call.initializer ?? '') + '#' + call.functionChain.join('<');
}

function graphOf(app: AndroidApp, cls: SourceClass): Graph {
  const cached = graphs.get(app, cls);
  if (cached) return cached;
  const scope = serviceScope(app, cls);
  const g: Graph = { scope, memberOf: new Map(), functions: new Map(), callers: new Map(), byChain: new Map() };
  for (const c of scope) {
    for (const fn of c.functions) {
      const list = g.functions.get(fn.name) ?? [];
      list.push(fn);
      g.functions.set(fn.name, list);
      for (const call of fn.calls) if (!g.memberOf.has(call)) g.memberOf.set(call, fn);
    }
  }
  for (const c of scope) {
    for (const call of c.calls) {
      const key = chainKey(call);
      const list = g.byChain.get(key) ?? [];
      list.push(call);
      g.byChain.set(key, list);
      if (selfCall(call) && g.functions.has(call.name)) {
        const callers = g.callers.get(call.name) ?? [];
        callers.push(call);
        g.callers.set(call.name, callers);
      }
    }
  }
  graphs.set(app, cls, g);
  return g;
}

function before(a: Location, b: Location): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** Calls that run on the same path as `call`: same function body, in the same or an enclosing branch. */
function onSamePath(g: Graph, call: SourceCall): SourceCall[] {
  return (g.byChain.get(chainKey(call)) ?? []).filter((c) => c !== call && guardsEnclose(c.guards, call.guards));
}

/** Whether a function stops the service on its unconditional path (directly, one helper deep). */
function functionStops(g: Graph, name: string, depth: number): boolean {
  for (const fn of g.functions.get(name) ?? []) {
    for (const c of fn.calls) {
      if (c.guards.length || c.functionChain.length !== 1) continue;
      if (STOPS_SERVICE.has(c.name)) return true;
      if (depth < 1 && selfCall(c) && c.name !== name && functionStops(g, c.name, depth + 1)) return true;
    }
  }
  return false;
}

/** Whether the service is stopped on the same path as `call`. */
export function stopsOnPath(g: Graph, call: SourceCall): SourceCall | null {
  for (const c of onSamePath(g, call)) {
    if (STOPS_SERVICE.has(c.name)) return c;
    if (selfCall(c) && g.functions.has(c.name) && functionStops(g, c.name, 0)) return c;
  }
  return null;
}

// ---- re-posting the notification ----

/** `notificationManager.notify(id, notification)` / `notify(tag, id, notification)`, or a startForeground(). */
function postsNotification(call: SourceCall): boolean {
  if (startForegroundForm(call)) return true;
  if (call.name === 'startForeground' && call.receiver !== null && (call.args.length === 2 || call.args.length === 3)) return true;
  return call.name === 'notify' && call.receiver !== null && call.receiver !== 'this' && (call.args.length === 2 || call.args.length === 3);
}

/** Functions a call reaches: a same-service helper, or a method of a project class held in a typed field (`notifier.show()`). */
function calledFunctions(app: AndroidApp, g: Graph, call: SourceCall): SourceFunction[] {
  if (selfCall(call)) return g.functions.get(call.name) ?? [];
  const r = call.receiver?.replace(/[?!]+$/, '').replace(/^this\./, '');
  if (!r || !/^\w+$/.test(r)) return [];
  for (const c of g.scope) {
    const field = c.fields.find((f) => f.name === r);
    if (!field?.type) continue;
    const target = projectClass(app, c, field.type);
    return target ? target.functions.filter((f) => f.name === call.name) : [];
  }
  return [];
}

/** Whether a function posts the notification on its unconditional path (directly, or two helpers deep). */
function functionPosts(app: AndroidApp, g: Graph, fn: SourceFunction, depth: number, seen: Set<SourceFunction>): boolean {
  if (seen.has(fn)) return false;
  seen.add(fn);
  for (const c of fn.calls) {
    if (c.guards.length || c.functionChain.length !== 1 || c.initializer) continue;
    if (postsNotification(c)) return true;
    if (depth < 2 && !c.receiver) {
      // Helpers of the helper's own class, by name.
      const owner = classByName(app, c.className);
      for (const h of owner?.functions.filter((f) => f.name === c.name) ?? []) if (functionPosts(app, g, h, depth + 1, seen)) return true;
    }
  }
  return false;
}

/**
 * A call after `call`, on the same path, that posts the notification again: `notify(...)` /
 * `startForeground(...)`, directly or through a helper. Removing and at once re-posting leaves the user a
 * (dismissible) notification to resume from, like STOP_FOREGROUND_DETACH, which API levels below 24 lack.
 */
export function repostsAfter(app: AndroidApp, cls: SourceClass, call: SourceCall): SourceCall | null {
  const g = graphOf(app, cls);
  for (const c of onSamePath(g, call)) {
    if (!before(call.location, c.location)) continue;
    if (postsNotification(c)) return c;
    for (const fn of calledFunctions(app, g, c)) if (functionPosts(app, g, fn, 0, new Set())) return c;
  }
  return null;
}

/** Whether a helper pauses the player on its unconditional path. */
function helperPauses(g: Graph, name: string, depth: number, seen: Set<string>): boolean {
  if (seen.has(name) || depth > 2) return false;
  seen.add(name);
  for (const fn of g.functions.get(name) ?? []) {
    for (const c of fn.calls) {
      if (c.guards.length || c.functionChain.length !== 1) continue;
      if (pausesPlayer(c)) return true;
      if (selfCall(c) && g.functions.has(c.name) && helperPauses(g, c.name, depth + 1, seen)) return true;
    }
  }
  return false;
}

/** `player.stop()` / `player.release()`: the path ends playback rather than pausing it. */
function stopsPlayer(call: SourceCall): boolean {
  return call.receiver !== null && call.receiver !== 'this' && call.receiver !== 'super' && (call.name === 'stop' || call.name === 'release') && call.args.length === 0;
}

/** Pause evidence at `call` itself: its branches, its callback, a pause that runs before it. */
function localPause(g: Graph, call: SourceCall): Omit<PausePath, 'via'> | null {
  const path = onSamePath(g, call);
  const endsPlayback = path.some(stopsPlayer);
  for (const c of path) {
    if (endsPlayback || !before(c.location, call.location)) continue;
    if (pausesPlayer(c)) {
      const text = `${c.receiver}.${c.name}(${c.args.map((a) => a.text).join(', ')})`;
      const fn = c.functionChain[0] ? ` in \`${c.functionChain[0]}\`` : '';
      return { why: `after \`${text}\`${fn}`, pause: { location: c.location, message: `\`${text}\` pauses playback here` } };
    }
    if (selfCall(c) && g.functions.has(c.name) && helperPauses(g, c.name, 0, new Set())) {
      return { why: `after \`${c.name}()\` pauses the player`, pause: { location: c.location, message: `\`${c.name}()\` pauses playback here` } };
    }
  }
  const ongoing = ongoingParam(call);
  for (let k = call.guards.length - 1; k >= 0; k--) {
    const guard = call.guards[k]!;
    const why = (ongoing && notOngoing(guard, ongoing)) || guardPause(guard);
    if (why) return { why, pause: guard.location ? { location: guard.location, message: `playback pauses here (${why})` } : null };
  }
  const handler = call.functionChain.find((f) => PAUSE_HANDLER.test(f));
  if (handler) {
    const fn = g.memberOf.get(call);
    return { why: `in \`${handler}\``, pause: fn && fn.name === handler ? { location: fn.location, message: `\`${handler}\` handles a pause request` } : null };
  }
  return null;
}

/** Whether a call sits in a branch that tests one of its function's parameters (`if (dismiss)`, `if (!keep)`). */
function paramGuarded(fn: SourceFunction, call: SourceCall): boolean {
  const ongoing = ongoingParam(call);
  return call.guards.some((g) => {
    const name = code(g.condition).replace(/^!/, '').replace(/^\((.*)\)$/, '$1');
    return g.branch !== 'case' && name !== ongoing && fn.params.includes(name);
  });
}

/**
 * The value a caller passes for a parameter a branch tests (`if (removeNotification)`), to drop
 * paths a literal argument rules out: `releaseResources(false)` never takes `if (release) {...}`.
 */
function pathRuledOut(fn: SourceFunction, target: SourceCall, caller: SourceCall): boolean {
  for (const g of target.guards) {
    const c = code(g.condition);
    const neg = c.startsWith('!');
    const name = neg ? c.slice(1).replace(/^\((.*)\)$/, '$1') : c;
    const index = fn.params.indexOf(name);
    if (index < 0 || g.branch === 'case') continue;
    const arg = caller.args.find((a) => a.label === name) ?? caller.args.filter((a) => !a.label)[index];
    if (!arg || arg.value.kind !== 'bool') continue;
    const holds = arg.value.value !== neg;
    if ((g.branch === 'then' && !holds) || (g.branch === 'else' && holds)) return true;
  }
  return false;
}

/** A `when (param)` / `switch (param)` case a call needs: the parameter must hold one of `labels`. */
interface CaseNeed {
  param: string;
  labels: string[];
}

/** A constant reference (`PLAY_STATE_CHANGED`, `Actions.PAUSE`) or a literal: something two texts can be compared by. */
const CONSTANT = /^(?:[\w.]*\.)?[A-Z][A-Z0-9_]*$|^"[^"\\]*"$|^-?\d+$/;

/** The innermost case guard of `call` that switches on a parameter of `fn`, when its labels are all constants. */
function caseNeed(fn: SourceFunction, call: SourceCall): CaseNeed | null {
  for (let k = call.guards.length - 1; k >= 0; k--) {
    const g = call.guards[k]!;
    if (g.branch !== 'case' || g.subject === undefined) continue;
    const subject = code(g.subject);
    if (!fn.params.includes(subject)) continue;
    const labels = g.condition.split(',').map((l) => l.trim());
    if (!labels.length || !labels.every((l) => CONSTANT.test(l))) return null;
    return { param: subject, labels };
  }
  return null;
}

/**
 * What a caller's argument does to a case need: rules the path out (a different constant), passes the
 * need on to one of the caller's own parameters (`handle(what)`), or leaves it unknown (null).
 */
function passNeed(fn: SourceFunction, need: CaseNeed, caller: SourceCall, callerFn: SourceFunction | undefined): 'ruled-out' | CaseNeed | null {
  const index = fn.params.indexOf(need.param);
  const arg = caller.args.find((a) => a.label === need.param) ?? caller.args.filter((a) => !a.label)[index];
  if (!arg) return null;
  const text = arg.text.replace(/\s+/g, '');
  if (CONSTANT.test(text)) return need.labels.some((l) => lastSegment(l) === lastSegment(text)) ? null : 'ruled-out';
  if (callerFn && callerFn.params.includes(text) && caller.functionChain.length === 1) return { param: text, labels: need.labels };
  return null;
}

function lastSegment(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1]!;
}

/**
 * The pause path that reaches `call` in service class `cls` (or a base / nested class of it), or
 * null when none does or every one that does also stops the service.
 */
export function pausePathTo(app: AndroidApp, cls: SourceClass, call: SourceCall): PausePath | null {
  const g = graphOf(app, cls);
  const seen = new Set<SourceFunction>();
  const search = (target: SourceCall, depth: number, inherited: CaseNeed | null): PausePath | null => {
    if (stopsOnPath(g, target)) return null;
    const fn = g.memberOf.get(target);
    // Under `if (removeNotification)` the callers' arguments decide, not what the helper does.
    if (!fn || !paramGuarded(fn, target)) {
      const local = localPause(g, target);
      if (local) return { ...local, via: [] };
    }
    if (depth >= MAX_DEPTH) return null;
    // Climb to the callers of the member function the call sits in (not from inside a listener
    // or lambda object defined in it: the framework calls those).
    if (!fn || target.functionChain.length !== 1 || target.functionChain[0] !== fn.name || seen.has(fn)) return null;
    seen.add(fn);
    // `when (what) { QUEUE_CHANGED -> ... }`: callers passing another constant never get here.
    const need = caseNeed(fn, target) ?? inherited;
    for (const caller of g.callers.get(fn.name) ?? []) {
      const callerFn = g.memberOf.get(caller);
      if (callerFn === fn) continue;
      if (pathRuledOut(fn, target, caller)) continue;
      const passed = need ? passNeed(fn, need, caller, callerFn) : null;
      if (passed === 'ruled-out') continue;
      const found = search(caller, depth + 1, passed);
      if (found) return { ...found, via: [...found.via, fn.name] };
    }
    return null;
  };
  return search(call, 0, null);
}

// ---- removals made by a helper the service holds ----

/** A call in the service's scope that runs a helper function which removes the notification. */
export interface HelperRemoval {
  /** The service's call of the helper function (`stateManager.stopForeground(true)`). */
  call: SourceCall;
  /** The removal inside the helper (`ServiceCompat.stopForeground(service, STOP_FOREGROUND_REMOVE)`). */
  removal: SourceCall;
  helper: SourceClass;
  fn: SourceFunction;
}

/**
 * Whether the helper's removal runs for this call: every branch of the helper function that tests one
 * of its parameters (`if (removeNotification)`) must be selected by a literal argument. An argument
 * read at run time (a user setting) leaves it unknown, and unknown is not reported.
 */
function literalSelects(fn: SourceFunction, removal: SourceCall, call: SourceCall): boolean {
  for (const g of removal.guards) {
    const c = code(g.condition);
    const neg = c.startsWith('!');
    const name = (neg ? c.slice(1) : c).replace(/^\((.*)\)$/, '$1');
    const index = fn.params.indexOf(name);
    if (index < 0) continue;
    if (g.branch === 'case') return false;
    const arg = call.args.find((a) => a.label === name) ?? call.args.filter((a) => !a.label)[index];
    if (!arg || arg.value.kind !== 'bool') return false;
    const holds = arg.value.value !== neg;
    if ((g.branch === 'then') !== holds) return false;
  }
  return true;
}

/**
 * Calls in service class `cls` (and its scope) to a function of a project helper it holds in a typed
 * field, where that function removes the notification of the service handed to it (`removes` decides
 * which calls remove). One level: the helper's own function, directly.
 */
export function helperRemovals(app: AndroidApp, cls: SourceClass, removes: (call: SourceCall) => boolean): HelperRemoval[] {
  const g = graphOf(app, cls);
  const out: HelperRemoval[] = [];
  const held = new Map<string, SourceClass>();
  for (const c of g.scope) {
    for (const f of c.fields) {
      if (!f.type) continue;
      const helper = projectClass(app, c, f.type);
      if (helper && !g.scope.includes(helper)) held.set(f.name, helper);
    }
  }
  if (!held.size) return out;
  for (const c of g.scope) {
    for (const call of c.calls) {
      const r = call.receiver?.replace(/[?!]+$/, '').replace(/^this\./, '');
      const helper = r ? held.get(r) : undefined;
      if (!helper) continue;
      for (const fn of helper.functions) {
        if (fn.name !== call.name) continue;
        const removal = fn.calls.find((x) => x.functionChain.length === 1 && removes(x) && literalSelects(fn, x, call));
        if (removal) out.push({ call, removal, helper, fn });
      }
    }
  }
  return out;
}
