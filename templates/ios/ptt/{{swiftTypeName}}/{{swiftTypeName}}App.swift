import SwiftUI
import UIKit

@main
struct {{swiftTypeName}}App: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var appDelegate

    var body: some Scene {
        WindowGroup {
            ChannelView(pushToTalk: appDelegate.pushToTalk)
        }
    }
}

/// The system launches the app in the background for Push to Talk pushes and to restore a
/// channel after a reboot. The channel manager has to exist by then, so it is created here, in
/// `didFinishLaunching`, and not when a SwiftUI view first appears (views are not created for a
/// background launch).
final class AppDelegate: NSObject, UIApplicationDelegate {
    let pushToTalk = PushToTalkService()

    func application(_ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil) -> Bool {
        pushToTalk.start()
        return true
    }
}
