// Top-level build file. Plugin versions come from gradle/libs.versions.toml; each module applies
// what it needs.
plugins {
    alias(libs.plugins.android.application) apply false
}
