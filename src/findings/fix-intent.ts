// What a rule says about fixing one finding automatically (`audiobg doctor --fix`).
// Intents are data: a rule states *what* must change, at positions the facts already hold, and
// never computes text. src/edit/fixes.ts turns them into formatting-preserving text edits.

/** A 1-based line and column, as in every finding location. */
export interface FixPos {
  line: number;
  column: number;
}

export type FixIntent =
  /** Add `<uses-permission android:name=permission />` to a manifest (after its other permissions). */
  | { kind: 'manifest-add-permission'; file: string; permission: string }
  /** Set an attribute on the XML element that starts at `element` (replacing its value if present). */
  | { kind: 'xml-set-attribute'; file: string; element: FixPos; name: string; value: string }
  /** Add `<intent-filter><action android:name=action /></intent-filter>` inside the element at `element`. */
  | { kind: 'manifest-add-intent-filter'; file: string; element: FixPos; action: string }
  /** Ensure the top-level array `key` of an XML property list holds `value`. */
  | { kind: 'plist-add-array-string'; file: string; key: string; value: string }
  /** Replace the text of the `<string>` element at `at` (which must read `from`) with `to`. */
  | { kind: 'plist-replace-string'; file: string; at: FixPos; from: string; to: string }
  /** Set a top-level boolean key of an XML property list (added when absent, flipped when the other value). */
  | { kind: 'plist-set-bool'; file: string; key: string; value: boolean }
  /** Set a top-level string key of an XML property list when it is absent or empty (a non-empty value is kept). */
  | { kind: 'plist-add-string'; file: string; key: string; value: string }
  /** Remove the Swift option expression at `at` (written as `text`) from its option list or argument. */
  | { kind: 'swift-remove-option'; file: string; at: FixPos; text: string }
  /** Remove the Objective-C option constant at `at` from its `A | B` expression (a lone option becomes 0). */
  | { kind: 'objc-remove-option'; file: string; at: FixPos; text: string }
  /**
   * Ensure the JSON array at `path` (created when absent) holds the string `value`. With `underExpo`
   * the path is inside the top-level `expo` object when the file has one (app.json).
   */
  | { kind: 'json-add-array-string'; file: string; path: (string | number)[]; value: string; underExpo?: boolean }
  /** Turn the JSON property whose key starts at `at` from `false` to `true`. */
  | { kind: 'json-set-true'; file: string; at: FixPos }
  /**
   * A target whose Info.plist Xcode generates (no INFOPLIST_FILE) needs a key that has no build
   * setting: create `plist` (absolute path, new) holding `key` = [`value`] and point the target's
   * INFOPLIST_FILE at it in every configuration of the project file `file`; Xcode merges the file
   * with the generated keys.
   */
  | { kind: 'xcode-add-info-plist'; file: string; target: string; plist: string; key: string; value: string }
  /**
   * No automatic fix, for a reason the user should hear (a dynamic app.config.ts, a setting that
   * needs judgement). Reported by `--fix`, never applied.
   */
  | { kind: 'manual'; file: string; reason: string };
