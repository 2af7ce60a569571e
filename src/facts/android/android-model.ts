// The Android side of the project model. (Filled in by the Android facts builder.)

export interface AndroidApp {
  /** Display name: the application module's path, e.g. "app". */
  name: string;
  /** Absolute path of the application module. */
  root: string;
}
