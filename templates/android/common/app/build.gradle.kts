plugins {
    alias(libs.plugins.android.application)
}

android {
    namespace = "{{bundleId}}"
    compileSdk = 36

    defaultConfig {
        applicationId = "{{bundleId}}"
        // 26 (Android 8.0) keeps this sample app simple. PlaybackService itself runs from 23: its
        // newer calls (AudioFocusRequest, notification channels) have fallbacks behind SDK_INT checks.
        minSdk = 26
        // Targeting 34+ is what makes the mediaPlayback foreground service type and its
        // FOREGROUND_SERVICE_MEDIA_PLAYBACK permission mandatory; the manifest declares both.
        targetSdk = 36
        versionCode = 1
        versionName = "1.0"
    }

    buildTypes {
        release {
            isMinifyEnabled = false
        }
    }

    // AGP 9 compiles Kotlin itself and uses this target for Kotlin bytecode too.
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

// No dependencies: this build uses framework APIs only (android.media, android.app).
