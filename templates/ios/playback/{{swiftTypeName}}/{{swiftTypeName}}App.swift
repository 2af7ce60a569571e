import SwiftUI

@main
struct {{swiftTypeName}}App: App {
    // Created once, when the app starts: the service sets the audio session category and
    // registers the lock-screen commands before the user first presses play.
    @StateObject private var playback = AudioPlaybackService()

    var body: some Scene {
        WindowGroup {
            PlayerView(playback: playback)
        }
    }
}
