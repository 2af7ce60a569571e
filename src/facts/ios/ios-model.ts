// The iOS side of the project model. (Filled in by the iOS facts builder.)

export interface IosApp {
  /** Display name: the Xcode project or folder name. */
  name: string;
  /** Absolute path of the folder that holds the app (where the .xcodeproj or Info.plist lives). */
  root: string;
}
