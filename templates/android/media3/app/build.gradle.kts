plugins {
    alias(libs.plugins.android.application)
}

android {
    namespace = "{{bundleId}}"
    compileSdk = 36

    defaultConfig {
        applicationId = "{{bundleId}}"
        // 26 (Android 8.0) keeps this sample app simple; Media3 itself needs 23 from release 1.9
        // (audiobg add picks an older release for a module with a lower minSdk).
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

dependencies {
    // ExoPlayer plays the audio; the session module provides MediaSessionService, the media
    // notification and the MediaController used by the activity.
    implementation(libs.androidx.media3.exoplayer)
    implementation(libs.androidx.media3.session)
    // ContextCompat.getMainExecutor() for the controller callback.
    implementation(libs.androidx.core.ktx)
}
